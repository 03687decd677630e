package dev.creditspolicy.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.concurrency.KafkaEvents.Event;
import dev.creditspolicy.concurrency.LedgerInvariants.Answered;
import dev.creditspolicy.concurrency.LedgerInvariants.Summary;

/**
 * SPEC section 12 against a real broker ({@link KafkaBroker}, started here) and two instances of the packaged jar in
 * one consumer group on one PostgreSQL schema, 20 accounts. The first test publishes 10,000 usage events with
 * duplicates and three malformed records; the second publishes more while one instance is SIGKILLed and restarted
 * and the other stopped. Both then read the decisions topic and audit the ledger ({@link LedgerInvariants}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 900)
class KafkaIngestionIT {
    private static final Duration DECIDED_WITHIN = Duration.ofSeconds(300);
    private final long seed = Long.getLong("credits.test.seed", System.nanoTime());
    private final List<String> accounts = IntStream.rangeClosed(1, 20).mapToObj(i -> String.format("kafka-%02d", i))
            .toList();
    /** Every request id published, over both tests: the ledger is audited against all of them. */
    private final Set<String> published = new LinkedHashSet<>();
    private KafkaBroker broker;
    private String schema;
    private List<String> args;
    private ServiceJar a;
    private ServiceJar b;
    private KafkaEvents events;
    private KafkaProducer<String, byte[]> producer;
    private int passed;

    @BeforeAll
    void start() throws Exception {
        ServiceJar.requirePostgres("KafkaIngestionIT");
        broker = KafkaBroker.start("KafkaIngestionIT");
        schema = ServiceJar.freshPostgresSchema("kafka_");
        args = new ArrayList<>(ServiceJar.postgresArgs(schema));
        args.addAll(broker.serviceArgs());
        a = ServiceJar.start("KafkaIngestionIT", "a", args);
        ServiceJar.awaitHealthy(List.of(a));
        b = ServiceJar.start("KafkaIngestionIT", "b", args); // one after the other: two at once starve each other
        ServiceJar.awaitHealthy(List.of(b));
        accounts.forEach(id -> a.personalAccount(id, "20000", "10000", "5000"));
        events = new KafkaEvents(broker, accounts, seed);
        producer = broker.producer();
        System.out.printf("KafkaIngestionIT: seed %d, broker %s, schema %s, logs in %s%n", seed, broker.bootstrap,
                schema, ServiceJar.LOGS);
    }

    @AfterAll
    void stop() throws Exception {
        for (ServiceJar s : new ServiceJar[] {a, b}) {
            if (s != null) {
                s.stop();
            }
        }
        if (producer != null) {
            producer.close();
        }
        if (events != null) {
            events.close();
        }
        if (broker != null) {
            broker.close(passed < 2); // a failure keeps the broker's data and log, and the schema
        }
        if (passed == 2) {
            ServiceJar.dropPostgresSchema(schema);
        }
    }

    private Jdbi ledger() {
        return Jdbi.create(ServiceJar.postgresUrl(schema), ServiceJar.PG_USER, "");
    }

    @Test
    @Order(1)
    void tenThousandEventsWithDuplicatesAreDecidedOnceEachAndMalformedOnesDeadLettered() throws Exception {
        List<Event> sent = events.usage("k1", 0, 8_500, 1_500);
        // three malformed records, each followed in its partition by well-formed events of the same account
        List<Event> malformed = List.of(
                new Event("kafka-03", "{\"requestId\": \"bad-1\", not json".getBytes(StandardCharsets.UTF_8), null,
                        "bad-1"),
                new Event("kafka-05", body("bad-2", "kafka-06"), null, "bad-2"),
                new Event("kafka-07", body("bad-3", "kafka-07"), "NO_SUCH_REALM", "bad-3"));
        for (int m = 0; m < malformed.size(); m++) {
            sent.add(2_500 * (m + 1), malformed.get(m));
        }
        long t0 = System.nanoTime();
        KafkaEvents.publish(producer, sent);
        Set<String> ids = new LinkedHashSet<>(sent.stream().filter(e -> !malformed.contains(e))
                .map(Event::requestId).toList());
        KafkaEvents.await(ids.size() + " request ids decided", DECIDED_WITHIN, () -> events.decided(ids) == ids.size()
                && events.decided(List.of("bad-2", "bad-3")) == 2);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("KafkaIngestionIT: %d records (%d request ids, %d duplicates, %d malformed) decided in "
                + "%.1f s by two instances: %.0f records/s%n", sent.size(), ids.size(), sent.size() - ids.size()
                - malformed.size(), malformed.size(), seconds, sent.size() / seconds);

        // the malformed: a problem each on the decisions topic, the original bytes on the dead-letter topic
        for (String id : List.of("bad-2", "bad-3")) {
            JsonNode m = events.decisions.get(id).get(0);
            assertEquals(400, m.path("status").asInt(), () -> id + ": " + m);
            assertTrue(m.path("problem").path("type").asString().endsWith("/validation-failed"), () -> id + m);
        }
        assertTrue(events.decisions.getOrDefault("", List.of()).stream().anyMatch(m -> m.path("status").asInt()
                == 400), "the record that is not JSON has a problem on " + KafkaEvents.DECISIONS);
        List<ConsumerRecord<String, byte[]>> dead = broker.readAll(KafkaEvents.DEAD_LETTERS, Duration.ofSeconds(3));
        assertEquals(malformed.size(), dead.size(), "records on " + KafkaEvents.DEAD_LETTERS);
        for (Event m : malformed) {
            assertTrue(dead.stream().anyMatch(r -> java.util.Arrays.equals(r.value(), m.value())
                    && m.key().equals(r.key())), () -> m.requestId() + " not on the dead-letter topic as sent");
        }
        // the partitions moved on: the events after each malformed record, same account, were decided
        for (int m = 0; m < malformed.size(); m++) {
            String key = malformed.get(m).key();
            List<String> after = sent.subList(2_500 * (m + 1) + 1, sent.size()).stream()
                    .filter(e -> e.key().equals(key) && !malformed.contains(e)).map(Event::requestId).toList();
            assertTrue(!after.isEmpty() && events.decided(after) == after.size(), "events of " + key + " after "
                    + "its malformed record");
        }

        published.addAll(ids);
        events.answered(ids, true);
        audit();
        passed++;
    }

    private static byte[] body(String id, String account) {
        return ("{\"requestId\": \"" + id + "\", \"accountId\": \"" + account + "\", \"product\": \"IDE\", "
                + "\"feature\": \"EDITOR_AGENT\", \"model\": \"qwen3-coder\", \"outcome\": \"SUCCEEDED\", "
                + "\"credits\": 1, \"occurredAt\": \"2026-07-10T09:00:00+08:00\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The ledger's invariants against what the decisions topic answered for every request id published. */
    private void audit() {
        Map<String, Answered> answered = events.answered(published, false);
        Summary s = LedgerInvariants.check(ledger(), answered);
        System.out.printf("KafkaIngestionIT: decisions %s, charged %s%n", s.byStatus(), s.totalCharged());
        assertEquals(published.size(), s.decisions(), "one decision per request id published, none lost");
    }

    @Test
    @Order(2)
    void anInstanceKilledAndAnotherStoppedMidStreamLoseAndDoubleNothing() throws Exception {
        // two waves: the first meets the kill of a; the second, published once a is back, the stop of b
        List<Event> first = events.usage("k2", 100_000, 1_500, 250);
        List<Event> second = events.usage("k2", 200_000, 1_500, 250);
        Set<String> ids1 = new LinkedHashSet<>(first.stream().map(Event::requestId).toList());
        Set<String> ids2 = new LinkedHashSet<>(second.stream().map(Event::requestId).toList());
        published.addAll(ids1);
        published.addAll(ids2);

        KafkaEvents.publish(producer, first);
        KafkaEvents.await("a quarter of the first wave decided", DECIDED_WITHIN,
                () -> events.decided(ids1) >= ids1.size() / 4);
        int exit = a.kill();
        long atKill = events.decided(ids1);
        a = ServiceJar.start("KafkaIngestionIT", "a", args);
        ServiceJar.awaitHealthy(List.of(a));

        KafkaEvents.publish(producer, second);
        KafkaEvents.await("a quarter of the second wave decided", DECIDED_WITHIN,
                () -> events.decided(ids2) >= ids2.size() / 4);
        b.stop();
        long atStop = events.decided(ids2);
        b = null;
        KafkaEvents.await("every request id decided", DECIDED_WITHIN,
                () -> events.decided(ids1) == ids1.size() && events.decided(ids2) == ids2.size());
        System.out.printf("KafkaIngestionIT: a SIGKILLed (exit %d) with %d of %d request ids decided, restarted; "
                + "b stopped with %d of %d decided%n", exit, atKill, ids1.size(), atStop, ids2.size());
        assertEquals(137, exit, "a ended by SIGKILL");
        assertTrue(atKill < ids1.size(), "the kill came mid-stream");
        assertTrue(atStop < ids2.size(), "the stop came mid-stream");

        audit();
        passed++;
    }
}

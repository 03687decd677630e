package dev.creditspolicy.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.concurrency.LedgerInvariants.Answered;

/**
 * The Kafka tests' events and what came back for them: seeded usage bodies over a set of accounts, with duplicates
 * (the same record sent again later, as a gateway's retry would), published keyed by account; and a reader of the
 * decisions topic that gathers every message by request id.
 */
final class KafkaEvents implements AutoCloseable {
    static final String USAGE = "credits.usage";
    static final String DECISIONS = "credits.decisions";
    static final String DEAD_LETTERS = "credits.usage.dlt";
    private static final OffsetDateTime CALLS_FROM = OffsetDateTime.parse("2026-07-10T09:00:00+08:00");
    private static final List<String> PRODUCTS = List.of("IDE", "CLI", "JETBRAINS", "QODERWORK");

    /** One record to publish: its key, value and realm header (null: none). */
    record Event(String key, byte[] value, String realmHeader, String requestId) {
    }

    final List<String> accounts;
    private final long seed;
    /** Every request id sent so far, with its account. */
    final Map<String, String> accountOf = new ConcurrentHashMap<>();
    /** Decision messages by request id (a malformed record without one is under ""), in arrival order. */
    final Map<String, List<JsonNode>> decisions = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> reader;
    private final Thread reading;
    private volatile boolean closed;

    KafkaEvents(KafkaBroker broker, List<String> accounts, long seed) {
        this.accounts = accounts;
        this.seed = seed;
        this.reader = broker.reader();
        List<TopicPartition> parts = reader.partitionsFor(DECISIONS, Duration.ofSeconds(60)).stream()
                .map(i -> new TopicPartition(DECISIONS, i.partition())).toList();
        reader.assign(parts);
        reader.seekToBeginning(parts);
        this.reading = new Thread(this::read, "decisions-reader");
        reading.start();
    }

    private void read() {
        while (!closed) {
            reader.poll(Duration.ofMillis(200)).forEach(r -> {
                JsonNode m = ServiceJar.JSON.readTree(r.value());
                String id = m.path("requestId").isString() ? m.path("requestId").asString() : "";
                decisions.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(m);
            });
        }
        reader.close();
    }

    /**
     * {@code unique} new usage events numbered from {@code from}, and {@code duplicates} copies of some of them,
     * each placed after its original (so in its partition after it): a redelivery the service must replay.
     */
    List<Event> usage(String prefix, int from, int unique, int duplicates) {
        SplittableRandom rnd = new SplittableRandom(seed ^ from);
        List<Event> events = new ArrayList<>(unique + duplicates);
        for (int i = from; i < from + unique; i++) {
            events.add(body(prefix + "-" + i, i));
        }
        for (int d = 0; d < duplicates; d++) {
            Event original = events.get(rnd.nextInt(unique));
            int at = events.indexOf(original);
            events.add(at + 1 + rnd.nextInt(events.size() - at), original);
        }
        return events;
    }

    private Event body(String id, int i) {
        SplittableRandom rnd = new SplittableRandom(seed + i);
        String account = accounts.get(rnd.nextInt(accounts.size()));
        accountOf.put(id, account);
        BigDecimal credits = BigDecimal.valueOf(rnd.nextInt(1, 20_001), 4);
        String outcome = rnd.nextInt(10) == 0 ? "FAILED" : "SUCCEEDED";
        String json = "{\"requestId\": \"" + id + "\", \"accountId\": \"" + account + "\", \"product\": \""
                + PRODUCTS.get(rnd.nextInt(PRODUCTS.size())) + "\", \"feature\": \"EDITOR_AGENT\", \"model\": "
                + "\"qwen3-coder\", \"outcome\": \"" + outcome + "\", \"credits\": "
                + credits.stripTrailingZeros().toPlainString() + ", \"occurredAt\": \"" + CALLS_FROM.plusSeconds(i)
                + "\"}";
        // every other event names its realm by header rather than in the body: both are the same request
        return new Event(account, json.getBytes(StandardCharsets.UTF_8), i % 2 == 0 ? "QODER_CN" : null, id);
    }

    static void publish(KafkaProducer<String, byte[]> producer, List<Event> events) {
        for (Event e : events) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(USAGE, e.key(), e.value());
            if (e.realmHeader() != null) {
                r.headers().add("realm", e.realmHeader().getBytes(StandardCharsets.UTF_8));
            }
            producer.send(r);
        }
        producer.flush();
    }

    /** How many of these request ids have a decision message. */
    long decided(Iterable<String> ids) {
        long n = 0;
        for (String id : ids) {
            n += decisions.containsKey(id) ? 1 : 0;
        }
        return n;
    }

    static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + timeout + ": " + what);
            }
            Thread.sleep(200);
        }
    }

    /**
     * Per request id, what it was answered on the decisions topic: status 200, every message the same decision,
     * at most one of them not a replay ({@code exactlyOnce}: exactly one, when no instance died mid-stream and
     * so no decision can have been stored without being published).
     */
    Map<String, Answered> answered(Iterable<String> ids, boolean exactlyOnce) {
        Map<String, Answered> answered = new HashMap<>();
        List<String> bad = new ArrayList<>();
        for (String id : ids) {
            List<JsonNode> messages = decisions.getOrDefault(id, List.of());
            if (messages.isEmpty()) {
                bad.add(id + ": no decision");
                continue;
            }
            long made = messages.stream().filter(m -> !m.path("replayed").asBoolean()).count();
            JsonNode d = messages.get(0).path("decision");
            if (messages.stream().anyMatch(m -> m.path("status").asInt() != 200 || !m.path("decision").equals(d))
                    || made > 1 || (exactlyOnce && made != 1)) {
                bad.add(id + ": " + messages);
                continue;
            }
            answered.put(id, new Answered(accountOf.get(id), d.path("status").asString(),
                    d.path("charged").decimalValue(), d.path("shortfall").decimalValue(),
                    d.path("balanceAfter").decimalValue()));
        }
        assertEquals(List.of(), bad.subList(0, Math.min(10, bad.size())), bad.size() + " request ids answered "
                + "wrongly on " + DECISIONS + " (first 10 shown)");
        assertTrue(!answered.isEmpty(), "no decision checked");
        return answered;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        reading.join(10_000);
    }
}

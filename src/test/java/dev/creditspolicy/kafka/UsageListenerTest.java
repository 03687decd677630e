package dev.creditspolicy.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.mock.MockProducerFactory;
import org.springframework.kafka.support.Acknowledgment;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands.CreateAccount;
import dev.creditspolicy.service.Commands.StartCycle;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

/**
 * The consumer's contract without a broker: a poll decided in order through the group-commit path, malformed records
 * answered and dead-lettered, the offsets acknowledged only after every send; and, with the database gone, what was
 * decided before published, nothing acknowledged, the failing record named for the error handler to retry.
 */
class UsageListenerTest {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /** Connections left before the database "goes away" (negative: no limit); every attempt counted. */
    private final AtomicInteger connectionsLeft = new AtomicInteger(-1);
    private final AtomicInteger attempts = new AtomicInteger();
    /** Sends complete at once; the template closes its producer after each use, which this one outlives. */
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
            new ByteArraySerializer()) {
        @Override
        public void close(Duration timeout) {
        }
    };
    private final AtomicInteger acks = new AtomicInteger();
    private final Acknowledgment ack = acks::incrementAndGet;
    private UsageListener listener;
    private CreditsServices services;

    @BeforeEach
    void setUp() {
        DataSource real = TestDatabases.fresh("usage-listener");
        DataSource flaky = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        attempts.incrementAndGet();
                        if (connectionsLeft.get() == 0) {
                            throw new SQLTransientConnectionException("the database is gone", "08001");
                        }
                        connectionsLeft.updateAndGet(n -> n > 0 ? n - 1 : n);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        services = CreditsServices.of(new Store(flaky), TestServices.rules(),
                Clock.fixed(TestServices.NOW, ZoneOffset.UTC), new SimpleMeterRegistry());
        Instant july = Instant.parse("2026-07-01T00:00:00Z");
        services.accounts().create(new CreateAccount("alice", Realm.QODER_CN, Plan.PERSONAL_PRO, july));
        services.accounts().startCycle(new StartCycle("alice", Plan.PERSONAL_PRO, july,
                Instant.parse("2026-08-01T00:00:00Z"), new BigDecimal("100"), "alice-plan"));
        KafkaTemplate<String, byte[]> kafka = new KafkaTemplate<>(new MockProducerFactory<>(() -> producer));
        listener = new UsageListener(services.usage(), new Decisions(kafka, "credits.decisions", JSON),
                KafkaIngestion.deadLetters(kafka, "credits.usage.dlt"), JSON, 2, 65536, 5000, new SimpleMeterRegistry());
    }

    private static ConsumerRecord<String, byte[]> record(long offset, String value) {
        return new ConsumerRecord<>("credits.usage", 0, offset, "alice", value.getBytes(StandardCharsets.UTF_8));
    }

    private static ConsumerRecord<String, byte[]> usage(long offset, String id) {
        return record(offset, "{\"requestId\": \"" + id + "\", \"accountId\": \"alice\", \"product\": \"IDE\", "
                + "\"feature\": \"EDITOR_AGENT\", \"model\": \"qwen3-coder\", \"outcome\": \"SUCCEEDED\", "
                + "\"credits\": 10, \"occurredAt\": \"2026-07-02T10:00:00Z\"}");
    }

    private void poll(List<ConsumerRecord<String, byte[]>> records) {
        listener.onMessage(records, ack, new MockConsumer<String, byte[]>("earliest"));
    }

    private List<JsonNode> decisions() {
        return producer.history().stream().filter(r -> r.topic().equals("credits.decisions"))
                .map(r -> JSON.readTree(r.value())).toList();
    }

    @Test
    void aPollIsDecidedInOrderAnsweredAndThenAcknowledged() {
        ConsumerRecord<String, byte[]> broken = record(1, "{not json");
        poll(List.of(usage(0, "u-1"), broken, usage(2, "u-2"), usage(3, "u-1")));

        List<JsonNode> d = decisions();
        assertEquals(List.of("u-1", "null", "u-2", "u-1"), d.stream().map(m -> m.path("requestId").toString()
                .replace("\"", "")).toList());
        assertEquals(List.of(200, 400, 200, 200), d.stream().map(m -> m.path("status").asInt()).toList());
        assertEquals("90.0000", d.get(0).path("decision").path("balanceAfter").decimalValue().toPlainString());
        assertEquals("80.0000", d.get(2).path("decision").path("balanceAfter").decimalValue().toPlainString());
        assertEquals(List.of(false, true), List.of(d.get(2).path("replayed").asBoolean(),
                d.get(3).path("replayed").asBoolean()), "the repeated request id is a replay");
        assertEquals(d.get(0).path("decision"), d.get(3).path("decision"));
        List<ProducerRecord<String, byte[]>> dead = producer.history().stream()
                .filter(r -> r.topic().equals("credits.usage.dlt")).toList();
        assertEquals(1, dead.size(), "the malformed record dead-lettered");
        assertArrayEquals(broken.value(), dead.get(0).value(), "with its original bytes");
        assertEquals(1, acks.get(), "acknowledged once, after the sends");
    }

    @Test
    void withTheDatabaseGoneWhatWasDecidedIsPublishedAndTheRestRetried() {
        attempts.set(0);
        connectionsLeft.set(1); // the first transaction (u-1, u-2) commits; the database goes before the second
        ConsumerRecord<String, byte[]> third = usage(2, "u-3");
        BatchListenerFailedException e = assertThrows(BatchListenerFailedException.class,
                () -> poll(List.of(usage(0, "u-1"), usage(1, "u-2"), third, usage(3, "u-4"))));
        assertSame(third, e.getRecord(), "the error handler retries from the first record not decided");
        assertEquals(0, acks.get(), "nothing acknowledged by the listener");
        assertEquals(List.of("u-1", "u-2"), decisions().stream().map(m -> m.path("requestId").asString()).toList(),
                "what was decided before the failure is published");
        assertEquals(2, attempts.get(), "one attempt for the failed batch of two: no one-by-one fallback");

        connectionsLeft.set(-1); // the database is back: the error handler delivers from u-3 again, then u-1 again
        poll(List.of(third, usage(3, "u-4"), usage(0, "u-1")));
        List<JsonNode> d = decisions();
        assertEquals(List.of("u-1", "u-2", "u-3", "u-4", "u-1"), d.stream().map(m -> m.path("requestId")
                .asString()).toList());
        assertEquals("60.0000", d.get(3).path("decision").path("balanceAfter").decimalValue().toPlainString(),
                "each charged once");
        assertEquals(true, d.get(4).path("replayed").asBoolean());
        assertEquals(1, acks.get());
    }
}

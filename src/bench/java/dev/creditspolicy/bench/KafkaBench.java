package dev.creditspolicy.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Usage events decided per second through Kafka against the same events over HTTP, one request per event, in one
 * run on one PostgreSQL (bench/kafka.sh starts the broker and runs this). One service instance, one fresh schema,
 * {@code accounts} accounts; each phase sends {@code events} new events (same bodies, its own request ids):
 * HTTP with 1 client, HTTP with {@code clients} clients, HTTP batches of 100 ({@code POST /v1/usage/batch}), then Kafka (published at once by one producer; timed from
 * the first send to the last decision read back from credits.decisions). Writes bench/results/kafka.md and .json.
 */
public final class KafkaBench {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final OffsetDateTime CALLS_FROM = OffsetDateTime.parse("2026-07-10T09:00:00+08:00");
    private static final List<String> PRODUCTS = List.of("IDE", "CLI", "JETBRAINS", "QODERWORK");

    private KafkaBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        String db = args[1];
        String bootstrap = args[2];
        int events = Integer.getInteger("credits.bench.events", 5_000);
        int accounts = Integer.getInteger("credits.bench.accounts", 20);
        int clients = Integer.getInteger("credits.bench.clients", 8);
        int partitions = Integer.getInteger("credits.bench.partitions", 4);
        String note = System.getProperty("credits.bench.note", "");
        Path out = Path.of(System.getProperty("credits.bench.out", "bench/results"));
        String schema = "kafka_bench";
        Postgres.psql(db, "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("spring.datasource.url", Postgres.jdbcUrl(db) + "?currentSchema=" + schema);
        props.put("spring.datasource.username", Postgres.USER);
        props.put("spring.datasource.password", "");
        props.put("spring.flyway.schemas", schema);
        props.put("credits.kafka.bootstrap-servers", bootstrap);
        props.put("credits.kafka.partitions", String.valueOf(partitions));
        Path work = Files.createTempDirectory("kafka-bench");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("at", Instant.now().toString());
        report.put("events", events);
        report.put("accounts", accounts);
        report.put("partitions", partitions);
        report.put("note", note);
        try (ServiceProcess service = ServiceProcess.start(jar, "kafka-bench", work, Path.of("rules"), props, false)) {
            awaitAdminKey(service);
            for (int a = 0; a < accounts; a++) {
                account(service, "bench-" + a);
            }
            report.put("http, 1 client", http(service, events, accounts, 1, "h1"));
            report.put("http, " + clients + " clients", http(service, events, accounts, clients, "h" + clients));
            report.put("http batches of 100, 1 client", batches(service, events, accounts, 100, "b"));
            report.put("kafka, 1 instance, " + partitions + " partitions", kafka(bootstrap, events, accounts, "k"));
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("kafka.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        StringBuilder md = new StringBuilder("| path | events | seconds | events decided/s |\n|---|---:|---:|---:|\n");
        report.forEach((k, v) -> {
            if (v instanceof double[] r) {
                md.append(String.format("| %s | %d | %.1f | %.0f |%n", k, events, r[0], events / r[0]));
            }
        });
        md.append("\n").append(events).append(" events per path over ").append(accounts).append(" accounts, one "
                + "service instance on PostgreSQL, ").append(report.get("at")).append(". ").append(note).append('\n');
        Files.writeString(out.resolve("kafka.md"), md);
        System.out.print(md);
    }

    /** The admin key is made by an ApplicationRunner, after health answers UP: wait until a keyed call passes. */
    private static void awaitAdminKey(ServiceProcess s) throws Exception {
        for (int i = 0; i < 120 && s.post("/v1/evaluate", "{}").status() == 401; i++) {
            Thread.sleep(500);
        }
    }

    private static void account(ServiceProcess s, String id) throws Exception {
        check(s.post("/v1/accounts", "{\"accountId\": \"" + id + "\", \"realm\": \"QODER_CN\", \"plan\": "
                + "\"PERSONAL_PRO\", \"at\": \"2026-07-01T00:00:00+08:00\"}"));
        check(s.post("/v1/accounts/" + id + "/cycles", "{\"lotId\": \"" + id + "-plan\", \"plan\": \"PERSONAL_PRO\", "
                + "\"start\": \"2026-07-01T00:00:00+08:00\", \"end\": \"2026-08-01T00:00:00+08:00\", "
                + "\"credits\": 1000000}"));
    }

    private static void check(ServiceProcess.Reply r) {
        if (r.status() != 201) {
            throw new IllegalStateException("set-up answered " + r.status() + ": " + r.body());
        }
    }

    /** Event {@code i} of a phase: the same body in every phase, the phase's own request id. */
    private static String[] event(String phase, int i, int accounts) {
        SplittableRandom rnd = new SplittableRandom(i);
        String account = "bench-" + rnd.nextInt(accounts);
        BigDecimal credits = BigDecimal.valueOf(rnd.nextInt(1, 20_001), 4);
        return new String[] {account, "{\"requestId\": \"" + phase + "-" + i + "\", \"accountId\": \"" + account
                + "\", \"product\": \"" + PRODUCTS.get(rnd.nextInt(PRODUCTS.size())) + "\", \"feature\": "
                + "\"EDITOR_AGENT\", \"model\": \"qwen3-coder\", \"outcome\": \"SUCCEEDED\", \"credits\": "
                + credits.toPlainString() + ", \"occurredAt\": \"" + CALLS_FROM.plusSeconds(i) + "\"}"};
    }

    /** {@code clients} clients sending the events one request each; answers {seconds}. */
    private static double[] http(ServiceProcess s, int events, int accounts, int clients, String phase)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
                    ServiceProcess.Reply r = s.post("/v1/usage", event(phase, i, accounts)[1]);
                    if (r.status() != 200) {
                        throw new IllegalStateException(phase + "-" + i + " answered " + r.status() + ": "
                                + r.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return new double[] {(System.nanoTime() - t0) / 1e9};
    }

    /** {@code POST /v1/usage/batch} (issue 27), {@code size} events a request, one client; answers {seconds}. */
    private static double[] batches(ServiceProcess s, int events, int accounts, int size, String phase)
            throws Exception {
        long t0 = System.nanoTime();
        for (int from = 0; from < events; from += size) {
            StringBuilder body = new StringBuilder("{\"events\": [");
            for (int i = from; i < Math.min(events, from + size); i++) {
                body.append(i > from ? ", " : "").append(event(phase, i, accounts)[1]);
            }
            ServiceProcess.Reply r = s.post("/v1/usage/batch", body.append("]}").toString());
            if (r.status() != 200) {
                throw new IllegalStateException("batch from " + from + " answered " + r.status() + ": " + r.body());
            }
            for (var slot : r.body().path("results")) {
                if (slot.path("status").asInt() != 200) {
                    throw new IllegalStateException("batch event answered " + slot);
                }
            }
        }
        return new double[] {(System.nanoTime() - t0) / 1e9};
    }

    /** The events published at once, timed until the last decision is read back; answers {seconds}. */
    private static double[] kafka(String bootstrap, int events, int accounts, String phase) throws Exception {
        try (KafkaConsumer<String, byte[]> decisions = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
                     new StringSerializer(), new ByteArraySerializer())) {
            List<TopicPartition> parts = decisions.partitionsFor("credits.decisions", Duration.ofSeconds(60))
                    .stream().map(p -> new TopicPartition("credits.decisions", p.partition())).toList();
            decisions.assign(parts);
            decisions.seekToEnd(parts);
            parts.forEach(decisions::position);
            long t0 = System.nanoTime();
            for (int i = 0; i < events; i++) {
                String[] e = event(phase, i, accounts);
                producer.send(new ProducerRecord<>("credits.usage", e[0], e[1].getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (seen < events) {
                for (var r : decisions.poll(Duration.ofMillis(200))) {
                    if (JSON.readTree(r.value()).path("status").asInt() != 200) {
                        throw new IllegalStateException("decision not 200: " + new String(r.value(),
                                StandardCharsets.UTF_8));
                    }
                    seen++;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + seen + " of " + events + " decided in 10 minutes");
                }
            }
            return new double[] {(System.nanoTime() - t0) / 1e9};
        }
    }
}

package dev.creditspolicy.concurrency;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;

import dev.creditspolicy.support.TestDatabases;

/**
 * A real Kafka broker for the Kafka integration tests, started by {@code scripts/kafka.sh} on free ports with its
 * data in a fresh folder under the build directory (kept when a test fails: its {@code broker.log} is there).
 * When it cannot start, the tests abort loudly, or fail when {@code credits.test.kafka.required} (or
 * {@code CREDITS_TEST_KAFKA_REQUIRED}) is true, as CI sets it.
 */
final class KafkaBroker implements AutoCloseable {
    private static final Path SCRIPT = Path.of("scripts", "kafka.sh").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);

    final String bootstrap;
    final Path dir;

    private KafkaBroker(String bootstrap, Path dir) {
        this.bootstrap = bootstrap;
        this.dir = dir;
    }

    static KafkaBroker start(String test) throws Exception {
        Path dir = ServiceJar.LOGS.getParent().resolve("kafka-it").resolve(test + "-" + UUID.randomUUID()
                .toString().substring(0, 8));
        Files.createDirectories(dir);
        int port = FreePorts.next();
        int controllerPort = FreePorts.next();
        Path out = dir.resolve("kafka.sh.out");
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "start", dir.toString()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("KAFKA_PORT", String.valueOf(port));
        pb.environment().put("KAFKA_CONTROLLER_PORT", String.valueOf(controllerPort));
        Process p = pb.start();
        boolean done = p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        KafkaBroker broker = new KafkaBroker("127.0.0.1:" + port, dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // the test JVM ended first: no broker left behind
            try {
                broker.stop();
            } catch (IOException | InterruptedException e) {
                // nothing more to do at exit
            }
        }));
        if (!done || p.exitValue() != 0) {
            p.destroyForcibly();
            broker.stop();
            String why = "Kafka case of " + test + " NOT RUN: scripts/kafka.sh could not start a broker ("
                    + (done ? "exit " + p.exitValue() : "no answer within " + START_TIMEOUT) + "):\n"
                    + Files.readString(out);
            if (required()) {
                fail(why + "\n(credits.test.kafka.required=true)");
            }
            System.err.println("\n*** " + why + " ***\n");
            Assumptions.abort(why);
        }
        System.out.println(Files.readString(out).strip());
        return broker;
    }

    static boolean required() {
        return Boolean.parseBoolean(TestDatabases.setting("credits.test.kafka.required",
                "CREDITS_TEST_KAFKA_REQUIRED", "false"));
    }

    /** The service's arguments that make it consume from this broker. */
    List<String> serviceArgs() {
        return List.of("--credits.kafka.bootstrap-servers=" + bootstrap, "--credits.kafka.retry-interval-ms=500");
    }

    KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Every record of {@code topic} from its beginning, read for {@code window} after the last one arrived. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic, Duration window) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = reader()) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long quietUntil = System.nanoTime() + window.toNanos();
            while (System.nanoTime() < quietUntil) {
                var batch = c.poll(Duration.ofMillis(200));
                batch.forEach(all::add);
                if (!batch.isEmpty()) {
                    quietUntil = System.nanoTime() + window.toNanos();
                }
            }
        }
        return all;
    }

    /** A consumer outside any group (assign and seek), reading what is committed to the log. */
    KafkaConsumer<String, byte[]> reader() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void stop() throws IOException, InterruptedException {
        new ProcessBuilder(SCRIPT.toString(), "stop", dir.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
    }

    /** Stops the broker; its data folder is removed only when {@code keep} is false. */
    void close(boolean keep) throws IOException, InterruptedException {
        stop();
        if (!keep) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        close(true);
    }
}

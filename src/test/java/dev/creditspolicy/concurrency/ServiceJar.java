package dev.creditspolicy.concurrency;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.support.TestDatabases;

/**
 * The packaged jar started as a separate JVM, for the tests that need real processes (several instances on one
 * database, a process killed and restarted). Logs go to {@code <build dir>/it-logs/<test>-<name>.log}, appended to
 * across restarts of one instance name. The PostgreSQL these tests use is the one of the test command
 * ({@code credits.test.pg.url} or {@code CREDITS_TEST_PG_URL}, see {@link TestDatabases}).
 */
final class ServiceJar {
    static final Path JAR = Path.of(System.getProperty("credits.jar", "target/credits-policy.jar")).toAbsolutePath();
    static final Path LOGS = JAR.getParent().resolve("it-logs");
    static final Path RULES = Path.of("rules").toAbsolutePath();
    static final String PG_URL = TestDatabases.PG_URL;
    static final String PG_USER = TestDatabases.PG_USER;
    /** How long an instance may take to answer UP; {@code -Dcredits.test.start-timeout-s} on a loaded machine. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("credits.test.start-timeout-s", 180));
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Every started instance has this admin key unless its arguments name another; send it as {@link #BEARER}. */
    static final String ADMIN_KEY = TestDatabases.ADMIN_KEY;
    static final String BEARER = "Bearer " + ADMIN_KEY;
    private static final List<Process> RUNNING = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    final String name;
    final Process process;
    final int port;
    final Path log;

    private ServiceJar(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Starts {@code java -jar} on a free port with the project's rules and the given database arguments. */
    static ServiceJar start(String test, String name, List<String> dbArgs) throws IOException {
        assertTrue(Files.isRegularFile(JAR), "no packaged jar at " + JAR + ": run mvn package (or verify) first");
        Files.createDirectories(LOGS);
        int port = FreePorts.next();
        Path log = LOGS.resolve(test + "-" + name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-jar", JAR.toString(), "--server.port=" + port,
                "--credits.rules-dir=" + RULES));
        if (dbArgs.stream().noneMatch(a -> a.startsWith("--credits.admin-key="))) { // a test may choose its own
            command.add("--credits.admin-key=" + ADMIN_KEY);
        }
        command.addAll(dbArgs);
        Files.writeString(log, "\n==== " + String.join(" ", command) + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        RUNNING.add(p);
        return new ServiceJar(name, p, port, log);
    }

    /** An answer over HTTP: status, body as JSON, and whether it was marked as the replay of an earlier answer. */
    record Answer(int status, JsonNode json, boolean replayed) {
    }

    /** One authorised POST with a JSON body; null when the instance did not answer (killed, or not there). */
    Answer post(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Authorization", BEARER)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r;
        try {
            r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (RuntimeException e) {
            json = JSON.missingNode();
        }
        return new Answer(r.statusCode(), json,
                Boolean.parseBoolean(r.headers().firstValue("Idempotent-Replayed").orElse("")));
    }

    /** A personal account with a plan lot (July) and two add-on lots expiring later, created over HTTP. */
    void personalAccount(String id, String plan, String pack, String promotion) {
        created("/v1/accounts", "{\"accountId\": \"" + id + "\", \"realm\": \"QODER_CN\", \"plan\": "
                + "\"PERSONAL_PRO\", \"at\": \"2026-07-01T00:00:00+08:00\"}");
        created("/v1/accounts/" + id + "/cycles", "{\"lotId\": \"" + id + "-plan\", \"plan\": \"PERSONAL_PRO\", "
                + "\"start\": \"2026-07-01T00:00:00+08:00\", \"end\": \"2026-08-01T00:00:00+08:00\", "
                + "\"credits\": " + plan + "}");
        created("/v1/accounts/" + id + "/lots", "{\"lotId\": \"" + id + "-pack\", \"source\": \"PURCHASE\", "
                + "\"amount\": " + pack + ", \"effectiveAt\": \"2026-07-01T00:00:00+08:00\", "
                + "\"expiresAt\": \"2026-09-01T00:00:00+08:00\", \"reason\": \"credit pack\"}");
        created("/v1/accounts/" + id + "/lots", "{\"lotId\": \"" + id + "-promo\", \"source\": \"PROMOTION\", "
                + "\"amount\": " + promotion + ", \"effectiveAt\": \"2026-07-01T00:00:00+08:00\", "
                + "\"expiresAt\": \"2026-08-15T00:00:00+08:00\", \"reason\": \"welcome promotion\"}");
    }

    private void created(String path, String body) {
        Answer a = post(path, body);
        assertTrue(a != null && a.status() == 201, () -> "POST " + path + ": " + (a == null ? "no answer" : a));
    }

    /** Waits until every instance answers UP on /actuator/health; fails with the log's tail if one does not. */
    static void awaitHealthy(List<ServiceJar> instances) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (ServiceJar i : instances) {
            while (!i.healthy()) {
                if (!i.process.isAlive()) {
                    fail(i.name + " exited with " + i.process.exitValue() + " while starting:\n" + i.tail());
                }
                if (System.nanoTime() > deadline) {
                    fail(i.name + " not UP within " + START_TIMEOUT + ":\n" + i.tail());
                }
                Thread.sleep(100);
            }
        }
    }

    private boolean healthy() throws InterruptedException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/actuator/health")))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && JSON.readTree(r.body()).path("status").asString().equals("UP");
        } catch (IOException e) {
            return false;
        }
    }

    /** A graceful stop (SIGTERM), then SIGKILL if it takes more than 30 s. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }

    /**
     * SIGKILL: {@link Process#destroyForcibly()} is {@code kill(pid, SIGKILL)} on Linux (the JDK's ProcessImpl);
     * answers the exit value, which is 128 + 9 = 137 for a process ended by SIGKILL.
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            fail(name + " still alive 30 s after SIGKILL");
        }
        RUNNING.remove(process);
        return process.exitValue();
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }


    /**
     * Aborts the test, loudly, when the PostgreSQL of the test command cannot be reached; fails it instead when
     * {@code credits.test.pg.required} (or {@code CREDITS_TEST_PG_REQUIRED}) is true.
     */
    static void requirePostgres(String test) {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
            if (c.isValid(2)) {
                return;
            }
        } catch (SQLException e) {
            // reported below
        }
        String why = "PostgreSQL case of " + test + " NOT RUN: " + PG_URL + " is not reachable";
        if (TestDatabases.postgresRequired()) {
            fail(why + " and credits.test.pg.required=true");
        }
        System.err.println("\n*** " + why + " ***\n");
        Assumptions.abort(why);
    }

    /** A new schema in the test command's PostgreSQL database, and the URL that selects it. */
    static String freshPostgresSchema(String prefix) throws SQLException {
        String schema = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    static String postgresUrl(String schema) {
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static List<String> postgresArgs(String schema) {
        return List.of("--spring.datasource.url=" + postgresUrl(schema), "--spring.datasource.username=" + PG_USER,
                "--spring.datasource.password=", "--spring.flyway.schemas=" + schema);
    }

    static void dropPostgresSchema(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** A test run against the packaged jar on one database: the jar's arguments that select it, and its ledger. */
    interface OnDatabase {
        void run(String label, List<String> args, Supplier<Jdbi> ledger) throws Exception;
    }

    /** {@code test} on a fresh H2 file database (the service's defaults); the files are kept if the test fails. */
    static void onH2File(String prefix, OnDatabase test) throws Exception {
        Path dir = Files.createTempDirectory(prefix);
        test.run("H2 file (default settings)", List.of("--credits.data-dir=" + dir),
                () -> Jdbi.create("jdbc:h2:file:" + dir.resolve("credits-policy"), "sa", ""));
        try (Stream<Path> files = Files.walk(dir)) { // only once the checks passed: a failure keeps it
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** {@code test} on a fresh schema of the test PostgreSQL; the schema is kept if the test fails. */
    static void onPostgres(String testName, String schemaPrefix, OnDatabase test) throws Exception {
        requirePostgres(testName);
        String schema = freshPostgresSchema(schemaPrefix);
        test.run("PostgreSQL (schema " + schema + ")", postgresArgs(schema),
                () -> Jdbi.create(postgresUrl(schema), PG_USER, ""));
        dropPostgresSchema(schema); // only once the checks passed: a failure keeps it
    }
}

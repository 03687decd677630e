package dev.creditspolicy.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The packaged jar, started as a separate process ({@code java -jar target-bench/credits-policy.jar ...}). */
final class ServiceProcess implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final String label;
    final int port;
    final Path log;
    final Path jfr;
    private final Process process;
    private final HttpClient http = LoadGenerator.client();
    /** Seconds from the process start to a healthy service. */
    double startSeconds;

    private ServiceProcess(String label, int port, Path log, Path jfr, Process process) {
        this.label = label;
        this.port = port;
        this.log = log;
        this.jfr = jfr;
        this.process = process;
    }

    /**
     * JFR's "profile" settings without Jdbi's own event (jdbi.statement): Jdbi records one per statement, with its
     * bindings described as text, whenever a recording has it enabled. That cost exists only while profiling and
     * falls on the rules path alone (the baseline does not use Jdbi), so the measured runs must not pay it.
     */
    static Path profileSettings(Path workDir) throws IOException {
        Path profile = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
        String jfc = Files.readString(profile);
        int end = jfc.lastIndexOf("</configuration>");
        if (end < 0) {
            throw new IllegalStateException("unexpected JFR settings file " + profile);
        }
        Path out = workDir.resolve("profile-without-jdbi.jfc");
        Files.writeString(out, jfc.substring(0, end) + "  <event name=\"jdbi.statement\">\n"
                + "    <setting name=\"enabled\">false</setting>\n  </event>\n" + jfc.substring(end));
        return out;
    }

    static ServiceProcess start(Path jar, String label, Path workDir, Path rulesDir, Map<String, String> props,
                                boolean profile) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = workDir.resolve(label + ".log");
        Path jfr = workDir.resolve(label + ".jfr");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms1g");
        cmd.add("-Xmx1g");
        if (profile) {
            // JFR's "profile" settings: CPU samples of Java code every 10 ms; dumped when the process stops
            cmd.add("-XX:StartFlightRecording=settings=" + profileSettings(workDir) + ",dumponexit=true,filename="
                    + jfr);
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add("--server.port=" + port);
        cmd.add("--credits.rules-dir=" + rulesDir);
        cmd.add("--credits.bench.baseline=true");
        cmd.add("--credits.admin-key=" + KEY);
        // the workload's calls are dated in July 2026, months behind the service's clock: the hold sweeper, which
        // works on that clock, would expire every hold the moment it is made
        cmd.add("--credits.holds.sweep-seconds=0");
        // the bench measures what the service can decide, not the per-key rate limit (issue 26): the admin key's
        // 500 requests a second answered 429 to most of the 32- and 64-client runs
        cmd.add("--credits.rate-limits.admin-per-second=1000000");
        cmd.add("--logging.level.root=WARN");
        props.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        ServiceProcess sp = new ServiceProcess(label, port, log, profile ? jfr : null, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("service " + label + " exited with " + p.exitValue() + ":\n"
                        + tail(log, 40));
            }
            try {
                HttpResponse<String> r = sp.http.send(HttpRequest.newBuilder(URI.create(sp.baseUrl()
                        + "/actuator/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    sp.startSeconds = (System.nanoTime() - t0) / 1e9;
                    return sp;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        p.destroyForcibly();
        throw new IllegalStateException("service " + label + " not healthy within 180 s:\n" + tail(log, 40));
    }

    /** The key every request of the benchmark carries: /v1 and /actuator/metrics need one (SPEC section 8). */
    static final String KEY = "cpk_bench-admin-key-for-benchmarks-only";
    static final String AUTHORIZATION = "Bearer " + KEY;

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    HttpClient http() {
        return http;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", AUTHORIZATION).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    /** {@code GET /actuator/prometheus} (admin key, text), or null when it does not answer 200. */
    String prometheus() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", AUTHORIZATION)
                    .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException | InterruptedException | RuntimeException e) {
            return null;
        }
    }

    /** The group-commit metrics now (see {@link BatchMetrics}). */
    BatchMetrics batchMetrics() {
        return BatchMetrics.parse(prometheus());
    }

    /** POST a JSON body; answers status and parsed body. */
    record Reply(int status, JsonNode body) {
    }

    Reply post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", AUTHORIZATION).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    /** A timer's COUNT and TOTAL_TIME (seconds) from /actuator/metrics, optionally for one tag. */
    double[] timer(String name, String tag) {
        try {
            JsonNode n = get("/actuator/metrics/" + name + (tag == null ? "" : "?tag=" + tag));
            if (n == null) {
                return new double[] {0, 0};
            }
            double count = 0;
            double total = 0;
            for (JsonNode m : n.get("measurements")) {
                if (m.get("statistic").asString().equals("COUNT")) {
                    count = m.get("value").asDouble();
                } else if (m.get("statistic").asString().equals("TOTAL_TIME")) {
                    total = m.get("value").asDouble();
                }
            }
            return new double[] {count, total};
        } catch (IOException | InterruptedException | RuntimeException e) {
            return new double[] {0, 0};
        }
    }

    /** The service's process, to read its CPU time. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

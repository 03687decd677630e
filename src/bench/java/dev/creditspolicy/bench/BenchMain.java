package dev.creditspolicy.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.annotations.Mode;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.store.Databases;

/**
 * The benchmark suite of issue 7, started by {@code bench/run.sh}: JMH in process, end to end on H2 and PostgreSQL
 * against the hand-written baseline, pgbench on the same PostgreSQL, and scale; writes bench/results/latest.json
 * and bench/results/latest.md. Settings are system properties (run.sh passes them; see its header).
 */
public final class BenchMain {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path jar = Path.of(prop("jar", "target-bench/credits-policy.jar")).toAbsolutePath();
    private final Path rules = Path.of(prop("rules", "rules")).toAbsolutePath().normalize();
    private final Path out = Path.of(prop("out", "bench/results")).toAbsolutePath();
    private final Path work = Path.of(prop("work", "target-bench/bench-work")).toAbsolutePath();
    private final Path pgbenchDir = Path.of(prop("pgbench.dir", "bench/pgbench")).toAbsolutePath();
    private final boolean quick = Boolean.parseBoolean(prop("quick", "false"));
    private final Set<String> phases = Set.of(prop("phases", "jmh,h2,pg,pgbench,scale").split(","));
    private final int clients = Integer.parseInt(prop("clients", "8"));
    private final int accounts = Integer.parseInt(prop("accounts", "5000"));
    private final String note = prop("note", "");
    private final long started = System.nanoTime();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final Map<String, Object> phaseSeconds = new LinkedHashMap<>();
    private final String tag = Long.toString(ProcessHandle.current().pid());
    /**
     * The start of every PostgreSQL database name the run creates (and drops): BENCH_DB_PREFIX, so that two runs on
     * one server (two people's worktrees) never touch each other's databases. Lower-case letters, digits, '_'.
     */
    private final String dbPrefix = checkedPrefix(prop("dbPrefix", "credits_bench_"));

    private static String checkedPrefix(String p) {
        if (!p.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("BENCH_DB_PREFIX must be lower-case letters, digits and '_', "
                    + "starting with a letter: " + p);
        }
        return p;
    }

    private static String prop(String name, String fallback) {
        String v = System.getProperty("credits.bench." + name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public static void main(String[] args) throws Exception {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        BenchMain bench = new BenchMain();
        // stopped (BENCH_TIMEOUT, Ctrl-C): no service process and no database of this run stays behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
            for (String db : List.copyOf(Postgres.CREATED)) {
                Postgres.dropDatabase(db);
            }
        }, "bench-cleanup"));
        if (bench.phases.equals(Set.of("report"))) {
            bench.rewriteReport(); // bench/run.sh --report: the markdown again from latest.json
        } else {
            bench.run();
        }
        System.exit(0);
    }

    private void say(String s) {
        double t = (System.nanoTime() - started) / 1e9;
        System.out.printf("[bench %5.0fs] %s%n", t, s);
        System.out.flush();
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        Files.createDirectories(work);
        Instant date = Instant.now();
        results.put("date", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(date.atOffset(ZoneOffset.UTC).withNano(0)));
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("loadAverageAtStart", loadAverage());
        machine.put("note", note);
        results.put("machine", machine);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("quick", quick);
        config.put("budgetSeconds", budget);
        config.put("phases", List.copyOf(phases));
        config.put("clients", clients);
        config.put("accounts", accounts);
        config.put("databasePrefix", dbPrefix);
        config.put("rulesDir", rules.toString());
        results.put("config", config);
        boolean pg = Postgres.available();
        if (pg) {
            machine.put("postgres", Postgres.settings());
        } else {
            machine.put("postgres", "not reachable on " + Postgres.HOST + ":" + Postgres.PORT + ": PostgreSQL phases skipped");
            say("PostgreSQL not reachable: the PostgreSQL phases are skipped");
        }
        say("benchmark run: phases " + phases + (quick ? " (quick)" : "") + ", " + clients + " clients, "
                + accounts + " accounts; machine load average " + loadAverage());
        // issue 17's throughput phases first: the first phase always runs in full, and when the machine runs
        // behind, the phases still to come are the ones shortened (JMH and scale, issue 7's)
        if (pg) {
            phase("pg", () -> results.put("endToEndPostgres", endToEnd("pg")));
            phase("pgbench", () -> results.put("pgbench", pgbench()));
        }
        phase("h2", () -> results.put("endToEndH2", endToEnd("h2")));
        if (pg) {
            phase("scale", () -> results.put("scale", scale()));
        }
        phase("jmh", () -> results.put("jmh", jmh()));
        machine.put("loadAverageAtEnd", loadAverage());
        results.put("phaseSeconds", phaseSeconds);
        results.put("runSeconds", LoadGenerator.round((System.nanoTime() - started) / 1e9, 1));
        results.put("targets", Report.targets(results));
        write();
        say("wrote " + out.resolve("latest.json") + " and " + out.resolve("latest.md"));
    }

    @SuppressWarnings("unchecked")
    private void rewriteReport() throws IOException {
        Map<String, Object> r = JSON.readValue(Files.readString(out.resolve("latest.json")), LinkedHashMap.class);
        r.put("targets", Report.targets(r));
        Files.writeString(out.resolve("latest.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n");
        Files.writeString(out.resolve("latest.md"), Report.markdown(r));
        say("rewrote " + out.resolve("latest.md") + " from latest.json");
    }

    interface Phase {
        void run() throws Exception;
    }

    /** Rough phase lengths on an idle 2-core machine, in seconds: what the time budget is planned with. */
    private static final Map<String, Integer> NOMINAL = Map.of("jmh", 85, "h2", 50, "pg", 135, "pgbench", 100,
            "scale", 45);
    private static final List<String> ORDER = List.of("pg", "pgbench", "h2", "scale", "jmh");
    private final double budget = Double.parseDouble(prop("budget", "570"))
            - Double.parseDouble(prop("buildSeconds", "0"));
    private final List<String> shortened = new ArrayList<>();
    private double nominalDone;
    /** Whether the phase now starting runs shortened (as --quick) to keep the whole run within the budget. */
    private boolean shortNow;

    /** The machine's pace against the idle estimate: set at each phase's start, raised by each step's own pace. */
    private double pace = 1;
    private final List<String> skipped = new ArrayList<>();
    private long stepStarted;
    private double stepNominal;

    /**
     * Whether a step of a phase (about {@code nominal} seconds on an idle machine) still fits in the budget at this
     * machine's pace; when not, it is skipped and the report says so. A phase's length can be far from its estimate
     * on a busy machine (JMH's forks: 195 s instead of 85 at load average 12), so the budget is checked between its
     * steps too, not only between phases.
     */
    private boolean fits(String step, double nominal) {
        long now = System.nanoTime();
        if (stepNominal > 0) {
            pace = Math.max(pace, (now - stepStarted) / 1e9 / stepNominal);
        }
        stepStarted = now;
        stepNominal = nominal;
        double elapsed = (now - started) / 1e9;
        if (quick || elapsed + pace * nominal <= budget) {
            return true;
        }
        skipped.add(step);
        results.put("skippedSteps", skipped);
        say(String.format("%s skipped: %.0f s used, about %.0f s more at this machine's pace (%.1fx), budget %.0f s",
                step, elapsed, pace * nominal, pace, budget));
        stepNominal = 0;
        return false;
    }

    private boolean shortRun() {
        return quick || shortNow;
    }

    private void phase(String name, Phase body) {
        if (!phases.contains(name)) {
            return;
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        // the machine's pace so far against the idle estimate; the first phase always runs in full (the load
        // average alone proved a poor guess of the pace)
        double slowness = nominalDone > 0 ? Math.max(1, elapsed / nominalDone) : 1;
        double rest = 0;
        for (String p : ORDER.subList(ORDER.indexOf(name), ORDER.size())) {
            rest += phases.contains(p) ? NOMINAL.get(p) : 0;
        }
        shortNow = !quick && elapsed + slowness * rest > budget;
        pace = slowness;
        stepNominal = 0;
        if (shortNow) {
            shortened.add(name);
            results.put("shortenedPhases", shortened);
            say(String.format("phase %s runs shortened: %.0f s used, about %.0f s still to go at this machine's pace "
                    + "(%.1fx the idle estimate), budget %.0f s", name, elapsed, slowness * rest, slowness, budget));
        }
        long t0 = System.nanoTime();
        say("phase " + name + " ...");
        try {
            body.run();
        } catch (Exception | Error e) {
            say("phase " + name + " FAILED: " + e);
            e.printStackTrace();
            results.put(name + "Error", e.toString());
        }
        double s = (System.nanoTime() - t0) / 1e9;
        nominalDone += NOMINAL.get(name) * (shortNow ? 0.5 : 1.0);
        phaseSeconds.put(name, LoadGenerator.round(s, 1));
        say(String.format("phase %s done in %.0f s (load average %s)", name, s, loadAverage()));
        try {
            write(); // partial results survive a later failure
        } catch (IOException e) {
            say("could not write results: " + e);
        }
    }

    private void write() throws IOException {
        results.put("runSeconds", LoadGenerator.round((System.nanoTime() - started) / 1e9, 1));
        results.put("buildSeconds", Double.valueOf(prop("buildSeconds", "NaN")));
        results.put("phaseSeconds", phaseSeconds);
        Files.writeString(out.resolve("latest.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results) + "\n");
        String md;
        try {
            md = Report.markdown(results);
        } catch (RuntimeException e) {
            md = "# Benchmarks\n\nThe report could not be written: " + e + "\n";
            e.printStackTrace();
        }
        Files.writeString(out.resolve("latest.md"), md);
    }

    static double loadNow() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    // ---------------------------------------------------------------- 1. JMH

    private Map<String, Object> jmh() throws Exception {
        Path logback = work.resolve("logback-quiet.xml");
        Files.writeString(logback, "<configuration><appender name=\"E\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                + "<encoder><pattern>%-5level %logger{36} - %msg%n</pattern></encoder></appender>"
                + "<root level=\"WARN\"><appender-ref ref=\"E\"/></root></configuration>\n");
        String[] jvm = {"-Xms1g", "-Xmx1g", "-D" + EvaluationBench.RULES_PROPERTY + "=" + rules,
                "-Dlogback.configurationFile=" + logback};
        Path log = work.resolve("jmh.log");
        try (Stream<Path> old = Files.list(out)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("jmh-")).toList()) {
                Files.delete(p);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        try (PrintStream ps = new PrintStream(Files.newOutputStream(log), true)) {
            // issue 17 made room for its throughput runs here: average time only (one thread: evaluations/s is its
            // inverse), 1, 20 and 2000 lots; the warm-up stays at 5 x 1 s (with 3, on a busy machine, the 20-lot
            // evaluation was still getting faster in the measured iterations: 470, 410, 220 us)
            int it = quick ? 1 : 3; // a shortened run keeps the iterations (the target needs them) and drops the forks
            int wit = quick ? 1 : 5;
            if (fits("JMH evaluation", 40)) {
                ChainedOptionsBuilder eval = new OptionsBuilder()
                        .include(EvaluationBench.class.getName() + ".evaluate").param("lots", "1", "20", "2000")
                        .mode(Mode.AverageTime).timeUnit(TimeUnit.MICROSECONDS)
                        .warmupIterations(wit).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(it).measurementTime(TimeValue.seconds(1))
                        .forks(shortRun() ? 0 : 1).threads(1).jvmArgsAppend(jvm).addProfiler(GCProfiler.class)
                        .resultFormat(ResultFormatType.JSON).result(out.resolve("jmh-evaluation.json").toString());
                say("  JMH evaluation: 1, 20, 2000 lots; average time, " + wit + " x 1 s warmup, "
                        + it + " x 1 s measurement, " + (shortRun() ? "no fork (in this JVM)" : "1 fork") + ", 1 thread (log: "
                        + log + ")");
                m.put("evaluationSettings", "average time (evaluations/s is its inverse, 1 thread), " + wit
                        + " x 1 s warmup, " + it + " x 1 s measurement, "
                        + (shortRun() ? "no fork (shortened run: measured in the runner's JVM)" : "1 fork") + ", 1 thread");
                Collection<RunResult> evalResults = new Runner(eval.build(),
                        OutputFormatFactory.createFormatInstance(ps, VerboseMode.NORMAL)).run();
                Map<Integer, Map<String, Object>> byLots = new java.util.TreeMap<>();
                for (RunResult r : evalResults) {
                    int lots = Integer.parseInt(r.getParams().getParam("lots"));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("lots", lots);
                    Result<?> p = r.getPrimaryResult();
                    double avg = p.getScore();
                    row.put("opsPerSecond", LoadGenerator.round(1e6 / avg, 0));
                    row.put("opsPerSecondError", finite(1e6 * p.getScoreError() / (avg * avg), 0));
                    row.put("avgMicros", LoadGenerator.round(avg, 3));
                    row.put("avgMicrosError", finite(p.getScoreError(), 3));
                    r.getSecondaryResults().forEach((k, v) -> {
                        if (k.endsWith("gc.alloc.rate.norm")) {
                            row.put("allocBytesPerOp", LoadGenerator.round(v.getScore(), 0));
                        }
                    });
                    byLots.put(lots, row);
                }
                m.put("evaluation", new ArrayList<>(byLots.values()));
                for (Map<String, Object> row : byLots.values()) {
                    say(String.format("  %5s lots: %,.0f evaluations/s, %s us/op", row.get("lots"), row.get("opsPerSecond"),
                            row.get("avgMicros")));
                }
            }

            if (fits("JMH deduction", 20)) {
                ChainedOptionsBuilder deduction = new OptionsBuilder()
                        .include(DeductionBench.class.getName() + ".deduct")
                        .mode(Mode.AverageTime).timeUnit(TimeUnit.MICROSECONDS)
                        .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(quick ? 1 : 3).measurementTime(TimeValue.seconds(1))
                        .forks(shortRun() ? 0 : 1).threads(1).jvmArgsAppend(jvm).addProfiler(GCProfiler.class)
                        .resultFormat(ResultFormatType.JSON).result(out.resolve("jmh-deduction.json").toString());
                say("  JMH deduction in process on in-memory H2: rules vs the hand-written baseline");
                List<Map<String, Object>> deductions = new ArrayList<>();
                for (RunResult r : new Runner(deduction.build(),
                        OutputFormatFactory.createFormatInstance(ps, VerboseMode.NORMAL)).run()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("path", r.getParams().getParam("path"));
                    row.put("avgMicros", LoadGenerator.round(r.getPrimaryResult().getScore(), 1));
                    row.put("avgMicrosError", finite(r.getPrimaryResult().getScoreError(), 1));
                    r.getSecondaryResults().forEach((k, v) -> {
                        if (k.endsWith("gc.alloc.rate.norm")) {
                            row.put("allocBytesPerOp", LoadGenerator.round(v.getScore(), 0));
                        }
                    });
                    deductions.add(row);
                    say(String.format("  deduction %-8s %s us/op", row.get("path"), row.get("avgMicros")));
                }
                m.put("deduction", deductions);
            }

            if (fits("JMH rules build", 25)) {
                List<ChainedOptionsBuilder> builds = new ArrayList<>();
                // one fresh JVM for the cold build; the warm ones in this JVM (it has built the rules already): the
                // second cold fork and the warm forks no longer earn their time beside issue 17's runs
                builds.add(new OptionsBuilder().include(RulesBuildBench.class.getName() + ".coldBuild").forks(1)
                        .jvmArgsAppend(jvm).resultFormat(ResultFormatType.JSON)
                        .result(out.resolve("jmh-rules-build-cold.json").toString()));
                builds.add(new OptionsBuilder().include(RulesBuildBench.class.getName() + ".(warmBuild|reload)")
                        .forks(0).resultFormat(ResultFormatType.JSON)
                        .result(out.resolve("jmh-rules-build.json").toString()));
                say("  JMH rules build: cold (1 fresh JVM), warm and reload after an edit (in this JVM)");
                List<RunResult> buildResults = new ArrayList<>();
                for (ChainedOptionsBuilder o : builds) {
                    buildResults.addAll(new Runner(o.build(), OutputFormatFactory.createFormatInstance(ps, VerboseMode.NORMAL)).run());
                }
                Map<String, Object> b = new LinkedHashMap<>();
                for (RunResult r : buildResults) {
                    String name = r.getParams().getBenchmark();
                    name = name.substring(name.lastIndexOf('.') + 1);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("ms", LoadGenerator.round(r.getPrimaryResult().getScore(), 1));
                    row.put("msError", finite(r.getPrimaryResult().getScoreError(), 1));
                    row.put("samples", r.getPrimaryResult().getSampleCount());
                    b.put(name, row);
                    say("  " + name + ": " + row.get("ms") + " ms");
                }
                m.put("rulesBuild", b);
            }
        }
        return m;
    }

    private static Double finite(double v, int digits) {
        return Double.isFinite(v) ? LoadGenerator.round(v, digits) : null;
    }

    // ---------------------------------------------------------------- 2. end to end

    private Map<String, Object> endToEnd(String kind) throws Exception {
        boolean h2 = kind.equals("h2");
        Map<String, Object> m = new LinkedHashMap<>();
        Workload workload = new Workload("acct-", accounts, 7);
        Map<String, String> props = new LinkedHashMap<>();
        String db = dbPrefix + "e2e_" + tag;
        Path h2dir = work.resolve("h2-" + tag);
        long t0 = System.nanoTime();
        if (h2) {
            deleteTree(h2dir);
            Files.createDirectories(h2dir);
            String url = "jdbc:h2:file:" + h2dir.resolve("credits") + ";LOCK_TIMEOUT=10000";
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(url);
            ds.setUser("sa");
            Databases.migrate(ds);
            m.put("migrateSeconds", LoadGenerator.round((System.nanoTime() - t0) / 1e9, 1));
            try (Connection c = ds.getConnection()) {
                workload.seed(c);
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
            props.put("spring.datasource.url", url);
            m.put("database", "H2 " + org.h2.engine.Constants.VERSION + " (file, embedded in the service)");
        } else {
            Postgres.createDatabase(db);
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(Postgres.jdbcUrl(db));
            ds.setUser(Postgres.USER);
            Databases.migrate(ds);
            m.put("migrateSeconds", LoadGenerator.round((System.nanoTime() - t0) / 1e9, 1));
            try (Connection c = ds.getConnection()) {
                workload.seed(c);
                try (Statement s = c.createStatement()) {
                    s.execute("ANALYZE");
                }
            }
            props.put("spring.datasource.url", Postgres.jdbcUrl(db));
            props.put("spring.datasource.username", Postgres.USER);
            props.put("spring.datasource.password", "");
            m.put("database", "PostgreSQL " + Postgres.settings().get("version") + " (database " + db + ")");
        }
        m.put("accounts", workload.accounts.size());
        m.put("lots", workload.lotCount());
        m.put("seedSeconds", LoadGenerator.round((System.nanoTime() - t0) / 1e9, 1));
        say(String.format("  %s: seeded %,d accounts and %,d lots by SQL in %.1f s", kind, workload.accounts.size(),
                workload.lotCount(), (System.nanoTime() - t0) / 1e9));
        // the warm-up lets the JIT finish with Drools' and Jdbi's code paths: measured here, a service a few seconds
        // old evaluates the rules 3 to 4 times slower than the same service a minute later
        boolean s = shortRun();
        Duration warm = Duration.ofSeconds(s ? 3 : h2 ? 8 : 10);
        Duration one = Duration.ofSeconds(s ? 3 : h2 ? 5 : 8);
        Duration many = Duration.ofSeconds(s ? 4 : h2 ? 8 : 10);
        long max = 400_000;
        List<JfrProfile.Window> windows = new ArrayList<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        String pgDb = h2 ? null : db;
        try (ServiceProcess svc = ServiceProcess.start(jar, "service-" + kind, work, rules, props, true)) {
            m.put("serviceStartSeconds", LoadGenerator.round(svc.startSeconds, 1));
            say(String.format("  %s: service up on port %d in %.1f s (log %s)", kind, svc.port, svc.startSeconds, svc.log));
            m.put("batchingMetric", svc.batchMetrics().present() ? "credits.usage.batch.size" : BatchMetrics.NONE);
            say("  " + kind + ": batching metric: " + m.get("batchingMetric"));
            m.put("crossCheck", crossCheck(svc, workload, h2 ? 100 : 200));
            say("  " + kind + ": cross-check rules vs baseline: " + m.get("crossCheck"));
            String u = "/v1/usage";
            String b = "/bench/v1/usage";
            LoadGenerator.run(svc.http(), svc.baseUrl(), u, "warmup-rules", kind + "-wr", workload, clients, warm, max);
            LoadGenerator.run(svc.http(), svc.baseUrl(), b, "warmup-baseline", kind + "-wb", workload, clients,
                    Duration.ofSeconds(s ? 2 : 3), max);
            if (!h2) {
                // the warm-up filled tables the seed left empty (event_balances, events): without statistics
                // PostgreSQL keeps planning them as the empty tables they were, with sequential scans (2.7 ms of
                // database CPU an event, seen with auto_explain); ANALYZE as autovacuum would on a running database
                analyze(db);
            }
            // the hand-written baseline only at N clients: what the Tomcat/Spring/Jackson layer alone allows
            windows.add(usageRun(svc, pgDb, runs, "baseline", b, workload, clients, many, max));
            // the rules path at 1, 8, 32, 64 clients (issue 17), each client a closed loop over all the accounts
            for (int c : h2 ? List.of(1, clients) : CLIENT_COUNTS) {
                JfrProfile.Window w = usageRun(svc, pgDb, runs, "rules", u, workload, c, c == 1 ? one : many, max);
                if (c == clients) {
                    windows.add(w);
                }
            }
            if (!h2) {
                // every client on ONE account: the hot-row case, beside pgbench's bench/pgbench/hot-row.sql
                usageRun(svc, pgDb, runs, "rules-hot", u, workload.hot(), clients, many, max);
                // open loop at 70% of the best closed-loop rate, latency from each request's intended send time
                double best = 0;
                for (Map<String, Object> r : runs) {
                    if ("rules".equals(r.get("engine"))) {
                        best = Math.max(best, Report.num(r.get("requestsPerSecond")));
                    }
                }
                double rate = Math.max(1, best * OPEN_LOOP_SHARE);
                Duration open = Duration.ofSeconds(s ? 5 : 15);
                measured(svc, pgDb, runs, "rules-open", () -> OpenLoop.run(svc.http(), svc.baseUrl(),
                        "rules-open-" + Math.round(rate), kind + "-open", workload, rate, open, OPEN_LOOP_SENDERS));
                // hold + commit pairs (issue 14) right after the usage runs, same service, database and clients
                LoadGenerator.runHoldPairs(svc.http(), svc.baseUrl(), "warmup-holds", kind + "-wh", workload, clients,
                        Duration.ofSeconds(s ? 2 : 5), max);
                measured(svc, pgDb, runs, "hold+commit", () -> LoadGenerator.runHoldPairs(svc.http(), svc.baseUrl(),
                        "holds-c" + clients, kind + "-holds-c" + clients, workload, clients, many, max));
            }
            // batch ingestion (issue 27): BATCH_EVENTS usage events per request, same service, database and clients
            BatchLoad.run(svc.http(), svc.baseUrl(), "warmup-batch", kind + "-wbt", workload, clients,
                    Duration.ofSeconds(s ? 2 : 4), max, BATCH_EVENTS);
            measured(svc, pgDb, runs, "usage-batch", () -> BatchLoad.run(svc.http(), svc.baseUrl(),
                    "batch-c" + clients, kind + "-batch-c" + clients, workload, clients, many, max, BATCH_EVENTS));
            m.put("runs", runs);
            m.put("serviceLog", svc.log.toString());
            svc.close();
            m.put("profile", JfrProfile.analyze(svc.jfr, windows));
            m.put("jfr", String.valueOf(svc.jfr));
        } finally {
            if (h2) {
                deleteTree(h2dir);
            } else {
                Postgres.dropDatabase(db);
            }
        }
        return m;
    }

    /** Usage events per batch request (issue 27). */
    static final int BATCH_EVENTS = 100;
    /** Client counts of the PostgreSQL rules runs and of pgbench (issue 17). */
    static final List<Integer> CLIENT_COUNTS = List.of(1, 8, 32, 64);
    /** The open-loop run's rate, as a share of the best closed-loop usage rate; and its sender threads. */
    static final double OPEN_LOOP_SHARE = 0.7;
    static final int OPEN_LOOP_SENDERS = 64;

    /** A closed-loop usage run on one path, measured (see {@link #measured}); answers its time window for JFR. */
    /** ANALYZE of the bench's PostgreSQL database, as autovacuum does on a running one. */
    private static void analyze(String db) throws java.sql.SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(Postgres.jdbcUrl(db));
        ds.setUser(Postgres.USER);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        }
    }

    private JfrProfile.Window usageRun(ServiceProcess svc, String pgDb, List<Map<String, Object>> runs, String engine,
                                       String path, Workload workload, int c, Duration d, long max) throws Exception {
        String label = engine + "-c" + c;
        double[] httpBefore = svc.timer("http.server.requests", "uri:" + path);
        double[] evalBefore = svc.timer("credits.policy.evaluation", null);
        Instant from = Instant.now();
        Map<String, Object> r = measured(svc, pgDb, runs, engine, () -> LoadGenerator.run(svc.http(), svc.baseUrl(),
                path, label, svc.label + "-" + label, workload, c, d, max));
        Instant to = Instant.now();
        r.put("serverMeanMs", meanMs(httpBefore, svc.timer("http.server.requests", "uri:" + path)));
        if (!engine.equals("baseline")) {
            r.put("rulesEvaluationMeanMs", meanMs(evalBefore, svc.timer("credits.policy.evaluation", null)));
        }
        return new JfrProfile.Window(label, from, to);
    }

    interface Run {
        Map<String, Object> run() throws Exception;
    }

    /**
     * Runs one load run and adds to its figures what it cost each process, in ms of CPU per request (per pair for
     * holds): the service's JVM, PostgreSQL's backends of the run's database and its shared processes (WAL writer,
     * checkpointer...), the load generator (this JVM), the whole machine; and the group-commit metrics it added
     * (batch sizes, fallbacks), or that this build has none.
     */
    private Map<String, Object> measured(ServiceProcess svc, String pgDb, List<Map<String, Object>> runs,
                                         String engine, Run body) throws Exception {
        BatchMetrics batchBefore = svc.batchMetrics();
        double machineBefore = Cpu.machineBusySeconds();
        double serviceBefore = Cpu.processSeconds(svc.handle());
        double generatorBefore = Cpu.processSeconds(ProcessHandle.current());
        PgCpu pgCpu = pgDb == null ? null : PgCpu.start(pgDb);
        String loadBefore = loadAverage();
        Map<String, Object> r;
        try {
            r = body.run();
        } finally {
            if (pgCpu != null) {
                pgCpu.close();
            }
        }
        double n = Report.num(r.get("requests"));
        r.put("engine", engine);
        r.put("machineCpuMsPerRequest", Cpu.msPer(machineBefore, Cpu.machineBusySeconds(), n));
        r.put("serviceCpuMsPerRequest", Cpu.msPer(serviceBefore, Cpu.processSeconds(svc.handle()), n));
        r.put("loadGeneratorCpuMsPerRequest", Cpu.msPer(generatorBefore, Cpu.processSeconds(ProcessHandle.current()),
                n));
        PgCpu.put(r, pgCpu, n, "Request");
        r.put("batch", BatchMetrics.between(batchBefore, svc.batchMetrics()));
        r.put("loadAverage", loadBefore + " -> " + loadAverage());
        runs.add(r);
        say(String.format(java.util.Locale.ROOT, "  %s %-16s %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms  p99.9 %7.2f ms"
                + "  errors %d  cpu ms/req: service %s, pg %s, generator %s", svc.label, r.get("label"),
                Report.num(r.get("requestsPerSecond")), Report.num(r.get("p50Ms")), Report.num(r.get("p99Ms")),
                Report.num(r.get("p999Ms")), (Long) r.get("errors"), r.get("serviceCpuMsPerRequest"),
                r.get("postgresBackendsCpuMsPerRequest"), r.get("loadGeneratorCpuMsPerRequest")));
        return r;
    }

    private static Double meanMs(double[] before, double[] after) {
        double n = after[0] - before[0];
        return n <= 0 ? null : LoadGenerator.round((after[1] - before[1]) / n * 1000, 3);
    }

    /** The baseline must decide as the rules do: the same sample calls through both dry-run endpoints. */
    private Map<String, Object> crossCheck(ServiceProcess svc, Workload workload, int n) throws Exception {
        SplittableRandom r = new SplittableRandom(99);
        int agree = 0;
        List<String> differences = new ArrayList<>();
        Map<String, Integer> statuses = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            String body = workload.body(r, "check-" + i);
            ServiceProcess.Reply a = svc.post("/v1/evaluate", body);
            ServiceProcess.Reply b = svc.post("/bench/v1/evaluate", body);
            String ka = a.status() + " " + decisionKey(a.body());
            String kb = b.status() + " " + decisionKey(b.body());
            if (ka.equals(kb)) {
                agree++;
                statuses.merge(a.body() == null || a.body().get("reason") == null ? String.valueOf(a.status())
                        : a.body().get("reason").asString(), 1, Integer::sum);
            } else if (differences.size() < 3) {
                differences.add(body + " -> rules " + ka + " / baseline " + kb);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calls", n);
        m.put("agree", agree);
        m.put("reasons", statuses);
        m.put("differences", differences);
        return m;
    }

    private static String decisionKey(JsonNode d) {
        if (d == null || d.get("status") == null) {
            return d == null ? "" : String.valueOf(d.get("type"));
        }
        StringBuilder b = new StringBuilder();
        b.append(d.get("status").asString()).append(' ').append(d.get("reason").asString());
        for (String f : List.of("charged", "shortfall", "balanceAfter")) {
            b.append(' ').append(new BigDecimal(d.get(f).asString()).stripTrailingZeros().toPlainString());
        }
        for (JsonNode a : d.get("allocations")) {
            b.append(' ').append(a.get("lotId").asString()).append('=')
                    .append(new BigDecimal(a.get("amount").asString()).stripTrailingZeros().toPlainString());
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- 3b. pgbench

    private Map<String, Object> pgbench() throws Exception {
        String db = dbPrefix + "pgb_" + tag;
        int seconds = shortRun() ? 3 : 8;
        // TPC-B's scale at least its clients, as its rules ask (fewer branches than clients queue on branch rows)
        int scale = quick ? 8 : CLIENT_COUNTS.get(CLIENT_COUNTS.size() - 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientCounts", CLIENT_COUNTS);
        m.put("hotClients", clients);
        m.put("seconds", seconds);
        m.put("scale", scale);
        Postgres.createDatabase(db);
        try {
            long t0 = System.nanoTime();
            Postgres.Result init = Postgres.exec(List.of("pgbench", "-h", Postgres.HOST, "-p", Postgres.PORT, "-U",
                    Postgres.USER, "-i", "-q", "-I", "dtGvp", "-s", Integer.toString(scale), db), 600);
            if (init.exit() != 0) {
                throw new IllegalStateException("pgbench -i failed: " + init.output());
            }
            m.put("initSeconds", LoadGenerator.round((System.nanoTime() - t0) / 1e9, 1));
            List<Map<String, Object>> tpcb = new ArrayList<>();
            for (int c : CLIENT_COUNTS) {
                tpcb.add(pgbenchRun("TPC-B-like (built-in)", db, c, seconds, null));
            }
            m.put("tpcb", tpcb);
            Postgres.psqlFile(db, pgbenchDir.resolve("setup.sql"));
            List<Map<String, Object>> ded = new ArrayList<>();
            for (int c : CLIENT_COUNTS) {
                ded.add(pgbenchRun("deduction-shaped (bench/pgbench/deduction.sql)", db, c, seconds, "deduction.sql"));
            }
            m.put("deduction", ded);
            m.put("hotRow", pgbenchRun("hot row (bench/pgbench/hot-row.sql: the deduction on one account)", db, clients,
                    seconds, "hot-row.sql"));
        } finally {
            Postgres.dropDatabase(db);
        }
        return m;
    }

    /** One pgbench run of the built-in TPC-B-like transaction (script null) or a script of bench/pgbench/. */
    private Map<String, Object> pgbenchRun(String label, String db, int c, int seconds, String script)
            throws Exception {
        List<String> args = new ArrayList<>();
        if (script != null) {
            args.add("-n");
        }
        args.addAll(List.of("-c", Integer.toString(c), "-j", Integer.toString(Math.min(c, 2)), "-T",
                Integer.toString(seconds)));
        if (script != null) {
            args.addAll(List.of("-f", pgbenchDir.resolve(script).toString()));
        }
        String loadBefore = loadAverage();
        Map<String, Object> r = Postgres.pgbench(label, db, args, seconds + 120);
        r.put("clients", c);
        r.put("loadAverage", loadBefore + " -> " + loadAverage());
        say(String.format(java.util.Locale.ROOT, "  pgbench %-12s c%-3d %8.0f tps  latency avg %6.2f ms  cpu ms/txn: "
                + "pg %s, pgbench %s, machine %s", script == null ? "TPC-B" : script, c, Report.num(r.get("tps")),
                Report.num(r.get("latencyAvgMs")), r.get("postgresBackendsCpuMsPerTransaction"),
                r.get("pgbenchClientCpuMsPerTransaction"), r.get("machineCpuMsPerTransaction")));
        return r;
    }

    // ---------------------------------------------------------------- 4. scale

    private Map<String, Object> scale() throws Exception {
        List<String> dbs = new ArrayList<>();
        for (int size : ScaleBench.SIZES) {
            dbs.add(dbPrefix + "scale_" + size + "_" + tag);
        }
        try {
            for (String db : dbs) {
                Postgres.createDatabase(db);
            }
            Map<String, Object> m = new ScaleBench(rules, shortRun() ? 4 : 10, shortRun() ? 10 : 30,
                    shortRun() ? 60 : 200, this::say).run(dbs);
            m.put("database", "PostgreSQL " + Postgres.settings().get("version"));
            return m;
        } finally {
            for (String db : dbs) {
                Postgres.dropDatabase(db);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package dev.creditspolicy.bench;

import static dev.creditspolicy.bench.Report.fmt;
import static dev.creditspolicy.bench.Report.list;
import static dev.creditspolicy.bench.Report.map;
import static dev.creditspolicy.bench.Report.num;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The end-to-end and throughput sections of bench/results/latest.md (issue 17): the load runs, the same client
 * counts under pgbench, CPU per request by process, and the group-commit batch sizes.
 */
final class ThroughputReport {
    private ThroughputReport() {
    }

    private static final List<String> ORDER = List.of("rules", "rules-hot", "rules-open", "baseline", "hold+commit",
            "usage-batch");
    private static final List<String> DBS = List.of("endToEndH2", "endToEndPostgres");

    static void sections(StringBuilder md, Map<String, Object> r) {
        endToEnd(md, r);
        pgbench(md, r);
        cpu(md, r);
        batches(md, r);
    }

    private static String db(String key) {
        return key.equals("endToEndPostgres") ? "PostgreSQL" : "H2";
    }

    private static String name(Map<String, Object> x) {
        return switch (String.valueOf(x.get("engine"))) {
            case "rules" -> "rules";
            case "rules-hot" -> "rules, **one account**";
            case "rules-open" -> String.format(Locale.ROOT, "rules, **open loop** at %s/s asked", fmt(
                    x.get("targetRatePerSecond"), 0));
            case "baseline" -> "baseline (no rules)";
            case "hold+commit" -> "hold + commit pairs";
            case "usage-batch" -> String.format(Locale.ROOT, "**batches** of %s events (requests/s are batches/s; "
                    + "%s events/s)", x.get("eventsPerBatch"), fmt(x.get("eventsPerSecond"), 0));
            default -> String.valueOf(x.get("engine"));
        };
    }

    /** The runs of one database, in the report's order (engine, then clients). */
    static List<Map<String, Object>> runs(Map<String, Object> r, String key) {
        Map<String, Object> e = map(r.get(key));
        List<Map<String, Object>> sorted = list(e == null ? null : e.get("runs"));
        sorted.sort((x, y) -> {
            int c = Integer.compare(ORDER.indexOf(x.get("engine")), ORDER.indexOf(y.get("engine")));
            return c != 0 ? c : Double.compare(num(x.get("clients")), num(y.get("clients")));
        });
        return sorted;
    }

    private static void endToEnd(StringBuilder md, Map<String, Object> r) {
        md.append("\n## 2. End to end (HTTP to the packaged jar)\n\n");
        Map<String, Object> any = map(r.get("endToEndPostgres")) != null ? map(r.get("endToEndPostgres"))
                : map(r.get("endToEndH2"));
        if (any == null) {
            md.append("Not run.\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "`java -jar target-bench/credits-policy.jar` (1 GB heap, JFR on) with "
                + "%,.0f accounts and %,.0f lots seeded by SQL; a Java HttpClient load generator in another JVM. "
                + "*Closed loop*: each client sends its next request when the last is answered, over all the "
                + "accounts (*one account*: every client on the same account). *Open loop*: requests due at a fixed "
                + "rate (70%% of the best closed-loop rate), sent by up to %d threads, latency from each request's "
                + "intended send time, so a stall is paid by every request due meanwhile. Mix: products IDE 35%%, "
                + "CLI 25%%, JetBrains 15%%, QoderWork 15%%, Mobile 10%%; all features; 5%% failed calls; 2%% "
                + "retries of an earlier request id (must replay, else an error); 5%% dated before the sharing "
                + "date; 20%% of accounts on enterprise tiers. *rules* is `POST /v1/usage`; *baseline* is "
                + "`POST /bench/v1/usage`, the same deduction written by hand in plain Java and JDBC (no Drools, no "
                + "JDBI) behind the same HTTP layer, now only at %s clients. Latency is the client's; *server* is "
                + "Spring's `http.server.requests` mean for the path; *eval* the service's `credits.policy.evaluation` "
                + "timer. Each path is warmed up first.\n\n", num(any.get("accounts")), num(any.get("lots")),
                BenchMain.OPEN_LOOP_SENDERS, fmt(map(r.get("config")) == null ? null
                        : map(r.get("config")).get("clients"), 0)));
        md.append("| database | run | clients | requests/s | p50 ms | p99 ms | p99.9 ms | errors | server mean ms "
                + "| eval mean ms | charged / exempt / insufficient / replayed |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (String key : DBS) {
            for (Map<String, Object> x : runs(r, key)) {
                md.append("| ").append(db(key)).append(" | ").append(name(x)).append(" | ")
                        .append(x.get("engine").equals("rules-open") ? "≤ " + x.get("clients") : x.get("clients"))
                        .append(" | ").append(fmt(x.get("requestsPerSecond"), 0))
                        .append(" | ").append(fmt(x.get("p50Ms"), 2)).append(" | ").append(fmt(x.get("p99Ms"), 2))
                        .append(" | ").append(fmt(x.get("p999Ms"), 2)).append(" | ").append(x.get("errors"))
                        .append(" | ").append(fmt(x.get("serverMeanMs"), 2)).append(" | ")
                        .append(fmt(x.get("rulesEvaluationMeanMs"), 3))
                        .append(" | ").append(x.get("charged")).append(" / ").append(x.get("exempt")).append(" / ")
                        .append(x.get("insufficient")).append(" / ").append(x.get("replayed")).append(" |\n");
            }
        }
        md.append("\n");
        for (String key : DBS) {
            Map<String, Object> e = map(r.get(key));
            if (e == null) {
                continue;
            }
            md.append("- ").append(db(key)).append(": ");
            Map<String, Object> bn = Report.runMany(r, key, "baseline");
            Map<String, Object> rn = bn == null ? null : Report.run(r, key, "rules", (int) num(bn.get("clients")));
            if (rn != null) {
                md.append(String.format(Locale.ROOT, "at %s clients the rules path serves %.0f requests/s, %.0f%% of "
                        + "the baseline's %.0f/s; ", rn.get("clients"), num(rn.get("requestsPerSecond")),
                        num(rn.get("requestsPerSecond")) / num(bn.get("requestsPerSecond")) * 100,
                        num(bn.get("requestsPerSecond"))));
            }
            Map<String, Object> open = Report.runEngine(r, key, "rules-open");
            if (open != null) {
                md.append(String.format(Locale.ROOT, "the open loop asked %s/s and was served %s/s (%s requests "
                        + "left over 1 ms late, worst %s ms: above a few, the generator was short of senders or CPU); ",
                        fmt(open.get("targetRatePerSecond"), 0), fmt(open.get("requestsPerSecond"), 0),
                        open.get("lateSends"), fmt(open.get("maxSendLagMs"), 1)));
            }
            Map<String, Object> cc = map(e.get("crossCheck"));
            if (cc != null) {
                md.append(String.format(Locale.ROOT, "cross-check: the baseline decided %s of %s sample calls exactly "
                        + "as the rules (status, reason, amounts, allocations) %s", cc.get("agree"), cc.get("calls"),
                        cc.get("reasons")));
                if (cc.get("differences") instanceof List<?> d && !d.isEmpty()) {
                    md.append("; differences: ").append(d);
                }
            }
            md.append(String.format(Locale.ROOT, ". Service start to healthy: %s s.\n",
                    fmt(e.get("serviceStartSeconds"), 1)));
        }
    }

    private static void pgbench(StringBuilder md, Map<String, Object> r) {
        Map<String, Object> pgb = map(r.get("pgbench"));
        md.append("\n## 3. Against what this PostgreSQL commits (pgbench, same run, same server)\n\n");
        if (pgb == null) {
            md.append(r.containsKey("pgbenchError") ? "Failed: " + r.get("pgbenchError") + "\n" : "Not run.\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "`pgbench -c C -j min(C,2) -T %s` on its own database of the same "
                + "server: the built-in TPC-B-like transaction (scale %s%s), "
                + "`bench/pgbench/deduction.sql` (lock the account's lot, decrement, insert an allocation; 10,000 "
                + "accounts) and `bench/pgbench/hot-row.sql` (the same on ONE account). *usage* is the rules path's "
                + "closed-loop rate at the same clients (section 2).\n\n", pgb.get("seconds"), pgb.get("scale"),
                num(pgb.get("scale")) >= maxClients(pgb) ? ", so no more clients than branches"
                        : ": fewer branches than clients in this shortened run, whose largest client counts queue on "
                        + "branch rows"));
        md.append("| clients | TPC-B tps (latency avg ms) | deduction.sql tps (latency avg ms) | usage requests/s "
                + "(p99 ms) | usage / TPC-B | usage / deduction.sql |\n|---:|---:|---:|---:|---:|---:|\n");
        List<Map<String, Object>> tpcb = list(pgb.get("tpcb"));
        List<Map<String, Object>> ded = list(pgb.get("deduction"));
        for (int i = 0; i < tpcb.size(); i++) {
            Map<String, Object> t = tpcb.get(i);
            Map<String, Object> d = i < ded.size() ? ded.get(i) : null;
            Map<String, Object> u = Report.run(r, "endToEndPostgres", "rules", (int) num(t.get("clients")));
            md.append("| ").append(t.get("clients")).append(" | ").append(fmt(t.get("tps"), 0)).append(" (")
                    .append(fmt(t.get("latencyAvgMs"), 2)).append(") | ")
                    .append(d == null ? "-" : fmt(d.get("tps"), 0) + " (" + fmt(d.get("latencyAvgMs"), 2) + ")")
                    .append(" | ").append(u == null ? "-" : fmt(u.get("requestsPerSecond"), 0) + " ("
                            + fmt(u.get("p99Ms"), 2) + ")")
                    .append(" | ").append(u == null ? "-" : ratio(u.get("requestsPerSecond"), t.get("tps")))
                    .append(" | ").append(u == null || d == null ? "-" : ratio(u.get("requestsPerSecond"), d.get("tps")))
                    .append(" |\n");
        }
        Map<String, Object> hot = map(pgb.get("hotRow"));
        Map<String, Object> uh = Report.runEngine(r, "endToEndPostgres", "rules-hot");
        if (hot != null) {
            md.append(String.format(Locale.ROOT, "\nOne hot account, %s clients: `hot-row.sql` %s tps (latency avg "
                    + "%s ms); the service's usage requests on one account %s/s (p99 %s ms): %s.\n",
                    hot.get("clients"), fmt(hot.get("tps"), 0), fmt(hot.get("latencyAvgMs"), 2),
                    uh == null ? "-" : fmt(uh.get("requestsPerSecond"), 0), uh == null ? "-" : fmt(uh.get("p99Ms"), 2),
                    uh == null ? "-" : ratio(uh.get("requestsPerSecond"), hot.get("tps"))));
        }
        Map<String, Object> batch = Report.runEngine(r, "endToEndPostgres", "usage-batch");
        Map<String, Object> tpcbAtBatch = batch == null ? null : Report.tpcb(r, (int) num(batch.get("clients")));
        if (tpcbAtBatch != null) {
            Map<String, Object> h2 = Report.runEngine(r, "endToEndH2", "usage-batch");
            Map<String, Object> single = Report.run(r, "endToEndPostgres", "rules", (int) num(batch.get("clients")));
            md.append(String.format(Locale.ROOT, "\nBatch ingestion, %s clients, %s events per request: %s events "
                    + "decided/s (%s batches/s, p50 %s ms a batch) against TPC-B %s tps at the same clients: %s "
                    + "(single usage requests %s/s); embedded H2: %s.\n", batch.get("clients"),
                    batch.get("eventsPerBatch"), fmt(batch.get("eventsPerSecond"), 0),
                    fmt(batch.get("requestsPerSecond"), 0), fmt(batch.get("p50Ms"), 2), fmt(tpcbAtBatch.get("tps"), 0),
                    ratio(batch.get("eventsPerSecond"), tpcbAtBatch.get("tps")),
                    single == null ? "-" : fmt(single.get("requestsPerSecond"), 0),
                    h2 == null ? "not run" : fmt(h2.get("eventsPerSecond"), 0) + " events/s"));
        }
        Map<String, Object> holds = Report.runEngine(r, "endToEndPostgres", "hold+commit");
        Map<String, Object> uc = holds == null ? null
                : Report.run(r, "endToEndPostgres", "rules", (int) num(holds.get("clients")));
        if (uc != null) {
            md.append(String.format(Locale.ROOT, "\nHold + commit pairs, %s clients: %s pairs/s (each a hold and "
                    + "its commit, two requests) against %s usage requests/s: %s.\n", holds.get("clients"),
                    fmt(holds.get("requestsPerSecond"), 0), fmt(uc.get("requestsPerSecond"), 0),
                    ratio(holds.get("requestsPerSecond"), uc.get("requestsPerSecond"))));
        }
    }

    private static double maxClients(Map<String, Object> pgb) {
        double m = 0;
        for (Map<String, Object> t : list(pgb.get("tpcb"))) {
            m = Math.max(m, num(t.get("clients")));
        }
        return m;
    }

    private static String ratio(Object a, Object b) {
        return String.format(Locale.ROOT, "%.2fx", num(a) / num(b));
    }

    private static void cpu(StringBuilder md, Map<String, Object> r) {
        md.append("\n## 4. CPU per request by process\n\n");
        md.append("Milliseconds of CPU (user + system) per request, pair or transaction during each run: the "
                + "service's JVM (`/proc` of its process), PostgreSQL's backends of the run's own database and its "
                + "shared processes (WAL writer, checkpointer, background writer, autovacuum; the cluster's other "
                + "databases are left out: sampled every " + PgCpu.PERIOD_MS + " ms from `/proc/<pid>/stat` of "
                + "the postmaster's children), the load generator (the bench JVM; for pgbench, the pgbench process), "
                + "and the whole machine (`/proc/stat`, everything running, other people's work included). With 2 "
                + "cores, 2,000 ms of CPU per second bound the rate: a run whose *machine* figure times its rate "
                + "nears 2,000 ms/s is CPU-bound.\n\n");
        md.append("| run | clients | per second | service JVM | PostgreSQL backends | PostgreSQL shared | load generator "
                + "/ pgbench | whole machine | load average (before -> after) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        double other = 0;
        for (String key : List.of("endToEndPostgres", "endToEndH2")) {
            for (Map<String, Object> x : runs(r, key)) {
                md.append("| ").append(db(key)).append(" ").append(name(x)).append(" | ").append(x.get("clients"))
                        .append(" | ").append(fmt(x.get("requestsPerSecond"), 0)).append(" | ")
                        .append(fmt(x.get("serviceCpuMsPerRequest"), 2)).append(" | ")
                        .append(key.equals("endToEndH2") ? "(in the service)" : fmt(x.get("postgresBackendsCpuMsPerRequest"), 2))
                        .append(" | ").append(key.equals("endToEndH2") ? "-" : fmt(x.get("postgresSharedCpuMsPerRequest"), 2))
                        .append(" | ").append(fmt(x.get("loadGeneratorCpuMsPerRequest"), 2)).append(" | ")
                        .append(fmt(x.get("machineCpuMsPerRequest"), 2)).append(" | ").append(x.get("loadAverage"))
                        .append(" |\n");
                other += Double.isNaN(num(x.get("postgresOtherDatabasesCpuSeconds"))) ? 0
                        : num(x.get("postgresOtherDatabasesCpuSeconds"));
            }
        }
        Map<String, Object> pgb = map(r.get("pgbench"));
        List<Map<String, Object>> all = new ArrayList<>();
        if (pgb != null) {
            all.addAll(list(pgb.get("tpcb")));
            all.addAll(list(pgb.get("deduction")));
            if (map(pgb.get("hotRow")) != null) {
                all.add(map(pgb.get("hotRow")));
            }
        }
        for (Map<String, Object> x : all) {
            md.append("| pgbench ").append(x.get("label")).append(" | ").append(x.get("clients")).append(" | ")
                    .append(fmt(x.get("tps"), 0)).append(" | - | ")
                    .append(fmt(x.get("postgresBackendsCpuMsPerTransaction"), 2)).append(" | ")
                    .append(fmt(x.get("postgresSharedCpuMsPerTransaction"), 2)).append(" | ")
                    .append(fmt(x.get("pgbenchClientCpuMsPerTransaction"), 2)).append(" | ")
                    .append(fmt(x.get("machineCpuMsPerTransaction"), 2)).append(" | ").append(x.get("loadAverage"))
                    .append(" |\n");
            other += Double.isNaN(num(x.get("postgresOtherDatabasesCpuSeconds"))) ? 0
                    : num(x.get("postgresOtherDatabasesCpuSeconds"));
        }
        md.append(String.format(Locale.ROOT, "\nBackends of the cluster's other databases (other people's work, not "
                + "counted above) used %.1f s of CPU during these runs%s.\n", other, other > 1
                ? ": the machine was shared, and the *whole machine* column includes them" : ""));
    }

    private static void batches(StringBuilder md, Map<String, Object> r) {
        md.append("\n## 5. Group commit: batch sizes per run\n\n");
        Set<String> ranges = new LinkedHashSet<>();
        boolean any = false;
        for (String key : DBS) {
            for (Map<String, Object> x : runs(r, key)) {
                Map<String, Object> b = map(x.get("batch"));
                if (b != null && Boolean.TRUE.equals(b.get("available"))) {
                    any = true;
                    ranges.addAll(BatchMetrics.ranges(map(b.get("batchesBySize"))));
                }
            }
        }
        if (!any) {
            md.append("**No batching metric in this build**: `GET /actuator/prometheus` shows no "
                    + "`credits_usage_batch_size` (the DistributionSummary `credits.usage.batch.size` of the "
                    + "group-commit path), so every usage request is its own transaction. The table fills in once "
                    + "the service has it.\n");
            return;
        }
        md.append("From `GET /actuator/prometheus`, scraped before and after each run: the DistributionSummary "
                + "`credits.usage.batch.size` (batches per size range; *mean* = requests in batches / batches; "
                + "*max* is Micrometer's, over a decaying window of a few minutes, so it may include the run before) "
                + "and the counter `credits.usage.batch.fallbacks` (batches retried one request at a time).\n\n");
        md.append("| run | clients | batches | requests in batches | mean |");
        ranges.forEach(g -> md.append(" ").append(g).append(" |"));
        md.append(" max | fallbacks |\n|---|---:|---:|---:|---:|");
        ranges.forEach(g -> md.append("---:|"));
        md.append("---:|---:|\n");
        for (String key : DBS) {
            for (Map<String, Object> x : runs(r, key)) {
                Map<String, Object> b = map(x.get("batch"));
                md.append("| ").append(db(key)).append(" ").append(name(x)).append(" | ").append(x.get("clients"))
                        .append(" | ");
                if (b == null || !Boolean.TRUE.equals(b.get("available"))) {
                    md.append(BatchMetrics.NONE).append(" |");
                    ranges.forEach(g -> md.append(" |"));
                    md.append(" | | | |\n");
                    continue;
                }
                Map<String, Object> h = map(b.get("batchesBySize"));
                md.append(fmt(b.get("batches"), 0)).append(" | ").append(fmt(b.get("requests"), 0)).append(" | ")
                        .append(fmt(b.get("meanSize"), 2)).append(" |");
                ranges.forEach(g -> md.append(" ").append(h == null ? "-" : fmt(h.get(g), 0)).append(" |"));
                md.append(" ").append(fmt(b.get("maxSize"), 0)).append(" | ").append(fmt(b.get("fallbacks"), 0))
                        .append(" |\n");
            }
        }
    }
}

package dev.creditspolicy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the figures into the target verdicts and the markdown of bench/results/latest.md. */
final class Report {
    private Report() {
    }

    // ------------------------------------------------------------------------------------------- targets

    static List<Map<String, Object>> targets(Map<String, Object> r) {
        List<Map<String, Object>> t = new ArrayList<>();

        // issue 17: usage requests/s against pgbench TPC-B tps at the same client count, same PostgreSQL, same run
        Map<String, Object> pgb = map(r.get("pgbench"));
        List<String> perClients = new ArrayList<>();
        double bestRatio = Double.NaN;
        String bestAt = "";
        for (Map<String, Object> tp : list(pgb == null ? null : pgb.get("tpcb"))) {
            Map<String, Object> u = run(r, "endToEndPostgres", "rules", (int) num(tp.get("clients")));
            if (u == null) {
                continue;
            }
            double ratio = num(u.get("requestsPerSecond")) / num(tp.get("tps"));
            perClients.add(String.format(Locale.ROOT, "%s %.2fx (%.0f/s vs %.0f tps)", clients(tp.get("clients")),
                    ratio, num(u.get("requestsPerSecond")), num(tp.get("tps"))));
            if (Double.isNaN(bestRatio) || ratio > bestRatio) {
                bestRatio = ratio;
                bestAt = clients(tp.get("clients"));
            }
        }
        if (!perClients.isEmpty()) {
            double best = bestRatio;
            double topUsage = 0;
            double topTps = 0;
            for (Map<String, Object> tp : list(pgb.get("tpcb"))) {
                topTps = Math.max(topTps, num(tp.get("tps")));
                Map<String, Object> u = run(r, "endToEndPostgres", "rules", (int) num(tp.get("clients")));
                topUsage = u == null ? topUsage : Math.max(topUsage, num(u.get("requestsPerSecond")));
            }
            t.add(target("Usage requests/s on PostgreSQL at least 1.0x pgbench TPC-B tps, same clients (issue 17)",
                    ">= 1.0x", String.format(Locale.ROOT, "best %.2fx at %s; %s; best rate against best rate "
                            + "(any clients) %.2fx (%.0f/s vs %.0f tps)", best, bestAt, String.join(", ", perClients),
                            topUsage / topTps, topUsage, topTps),
                    best >= 1.0, best >= 1.0 ? String.format(Locale.ROOT, "met at %s", bestAt)
                            : String.format(Locale.ROOT, "missed: %.2fx short at the best client count (%s)",
                                    1.0 - best, bestAt)));
        }

        // issue 17: p99 at 70% of the best rate, open loop, from each request's intended send time
        Map<String, Object> open = runEngine(r, "endToEndPostgres", "rules-open");
        if (open != null) {
            double p99 = num(open.get("p99Ms"));
            t.add(target("p99 <= 10 ms at 70% of the maximum usage rate (open loop, no coordinated omission; "
                    + "issue 17)", "<= 10 ms", String.format(Locale.ROOT, "p99 %.2f ms (p50 %.2f, p99.9 %.2f) at "
                    + "%.0f requests/s asked, %.0f served, %s errors, %s requests sent over 1 ms late",
                    p99, num(open.get("p50Ms")), num(open.get("p999Ms")), num(open.get("targetRatePerSecond")),
                    num(open.get("requestsPerSecond")), open.get("errors"), open.get("lateSends")),
                    p99 <= 10, p99 <= 10 ? String.format(Locale.ROOT, "met, %.2f ms to spare", 10 - p99)
                            : String.format(Locale.ROOT, "missed by %.2f ms", p99 - 10)));
        }

        // issue 17: one hot account against the hot-row pgbench script, same clients
        Map<String, Object> hot = runEngine(r, "endToEndPostgres", "rules-hot");
        Map<String, Object> hotRow = pgb == null ? null : map(pgb.get("hotRow"));
        if (hot != null && hotRow != null) {
            double ratio = num(hot.get("requestsPerSecond")) / num(hotRow.get("tps"));
            t.add(target("One hot account at least 0.5x pgbench's hot-row script, same clients (issue 17)", ">= 0.5x",
                    String.format(Locale.ROOT, "%.2fx (%.0f usage requests/s on one account vs %.0f tps of "
                            + "bench/pgbench/hot-row.sql, %s clients; p99 %.2f ms)", ratio,
                            num(hot.get("requestsPerSecond")), num(hotRow.get("tps")), hot.get("clients"),
                            num(hot.get("p99Ms"))),
                    ratio >= 0.5, ratio >= 0.5 ? String.format(Locale.ROOT, "met, %.2fx to spare", ratio - 0.5)
                            : String.format(Locale.ROOT, "missed by %.2fx", 0.5 - ratio)));
        }

        // issue 17 (was issue 14's "at most 2x"): hold + commit pairs/s at least half the usage rate, same clients
        Map<String, Object> holdsN = runEngine(r, "endToEndPostgres", "hold+commit");
        Map<String, Object> usageAtHolds = holdsN == null ? null
                : run(r, "endToEndPostgres", "rules", (int) num(holdsN.get("clients")));
        if (usageAtHolds != null) {
            double usage = num(usageAtHolds.get("requestsPerSecond"));
            double pairs = num(holdsN.get("requestsPerSecond"));
            double ratio = pairs / usage;
            t.add(target("Hold + commit pairs/s at least 0.5x usage requests/s (PostgreSQL, same clients, same run)",
                    ">= 0.5x", String.format(Locale.ROOT, "%.2fx (%.0f pairs/s vs %.0f usage requests/s, %s clients; "
                            + "p50 %.2f ms vs %.2f ms)", ratio, pairs, usage, holdsN.get("clients"),
                            num(holdsN.get("p50Ms")), num(usageAtHolds.get("p50Ms"))),
                    ratio >= 0.5, ratio >= 0.5 ? String.format(Locale.ROOT, "met, %.2fx to spare", ratio - 0.5)
                            : String.format(Locale.ROOT, "missed by %.2fx", 0.5 - ratio)));
        }

        // issue 27: single usage requests at 8 clients at least 0.6x TPC-B at 8
        Map<String, Object> tpcb8 = tpcb(r, 8);
        Map<String, Object> usage8 = run(r, "endToEndPostgres", "rules", 8);
        if (tpcb8 != null && usage8 != null) {
            double ratio = num(usage8.get("requestsPerSecond")) / num(tpcb8.get("tps"));
            t.add(target("Usage requests/s at 8 clients at least 0.6x pgbench TPC-B tps at 8 (issue 27)", ">= 0.6x",
                    String.format(Locale.ROOT, "%.2fx (%.0f/s vs %.0f tps; p99 %.2f ms)", ratio,
                            num(usage8.get("requestsPerSecond")), num(tpcb8.get("tps")), num(usage8.get("p99Ms"))),
                    ratio >= 0.6, ratio >= 0.6 ? String.format(Locale.ROOT, "met, %.2fx to spare", ratio - 0.6)
                            : String.format(Locale.ROOT, "missed by %.2fx", 0.6 - ratio)));
        }

        // issue 27: batch ingestion, events decided per second at least 5x TPC-B tps at the same clients
        Map<String, Object> batch = runEngine(r, "endToEndPostgres", "usage-batch");
        Map<String, Object> tpcbAtBatch = batch == null ? null : tpcb(r, (int) num(batch.get("clients")));
        if (tpcbAtBatch != null) {
            double ratio = num(batch.get("eventsPerSecond")) / num(tpcbAtBatch.get("tps"));
            Map<String, Object> h2 = runEngine(r, "endToEndH2", "usage-batch");
            t.add(target("Batch ingestion (100 events a request): events decided/s at least 5x pgbench TPC-B tps, "
                    + "same clients (issue 27)", ">= 5x", String.format(Locale.ROOT, "%.2fx (%.0f events/s in %.0f "
                    + "batches/s vs %.0f tps, %s clients; p50 %.2f ms a batch); embedded H2: %s", ratio,
                    num(batch.get("eventsPerSecond")), num(batch.get("requestsPerSecond")),
                    num(tpcbAtBatch.get("tps")), batch.get("clients"), num(batch.get("p50Ms")),
                    h2 == null ? "not run" : fmt(h2.get("eventsPerSecond"), 0) + " events/s"),
                    ratio >= 5, ratio >= 5 ? String.format(Locale.ROOT, "met, %.2fx to spare", ratio - 5)
                            : String.format(Locale.ROOT, "missed by %.2fx", 5 - ratio)));
        }

        // issue 17: no errors in any usage run (PostgreSQL and H2), retries answered as replays
        long errors = 0;
        long requests = 0;
        int counted = 0;
        for (String db : List.of("endToEndPostgres", "endToEndH2")) {
            for (Map<String, Object> x : list(map(r.get(db)) == null ? null : map(r.get(db)).get("runs"))) {
                errors += (long) num(x.get("errors"));
                requests += (long) num(x.get("requests"));
                counted++;
            }
        }
        if (counted > 0) {
            t.add(target("0 errors in the end-to-end runs (issue 17)", "0", String.format(Locale.ROOT,
                    "%,d errors in %,d requests over %d runs", errors, requests, counted), errors == 0,
                    errors == 0 ? "met" : "missed: see the errors column and latest.json's errorSamples"));
        }

        // issue 7: Drools' share of a deduction against the hand-written baseline, read from the scale phase
        Map<String, Object> sc0 = map(r.get("scale"));
        List<Map<String, Object>> sizes = list(sc0 == null ? null : sc0.get("byLotsInDatabase"));
        if (!sizes.isEmpty() && map(sizes.get(0).get("rules")) != null && map(sizes.get(0).get("baseline")) != null) {
            double a = num(map(sizes.get(0).get("rules")).get("p50Ms"));
            double b = num(map(sizes.get(0).get("baseline")).get("p50Ms"));
            double overhead = (a / b - 1) * 100;
            t.add(target("Drools adds at most 15% to a deduction vs the no-rules baseline (issue 7; now read in "
                    + "process, see below)", "<= +15%", String.format(Locale.ROOT, "%+.1f%% (p50 on PostgreSQL, "
                    + "in process, one deduction at a time, the two paths taking turns, %s lots: rules %.2f ms, "
                    + "baseline %.2f ms; without the HTTP layer both pay, so stricter than end to end)", overhead,
                    fmt(sizes.get(0).get("lotsInDatabase"), 0), a, b),
                    overhead <= 15, overhead <= 15
                            ? String.format(Locale.ROOT, "met, %.1f points to spare", 15 - overhead)
                            : String.format(Locale.ROOT, "missed by %.1f points", overhead - 15)));
        }

        // 3. flat cost from 10^3 to 10^6 lots in the database
        Map<String, Object> scale = map(r.get("scale"));
        if (scale != null && scale.get("byLotsInDatabase") instanceof List<?> rows && rows.size() >= 2) {
            double min = Double.MAX_VALUE;
            double max = 0;
            for (Object o : rows) {
                double p = num(map(map(o).get("rules")).get("p50Ms"));
                min = Math.min(min, p);
                max = Math.max(max, p);
            }
            double first = num(map(map(rows.get(0)).get("rules")).get("p50Ms"));
            double last = num(map(map(rows.get(rows.size() - 1)).get("rules")).get("p50Ms"));
            double spread = (max / min - 1) * 100;
            t.add(target("Cost per deduction flat within 25% from 10^3 to 10^6 lots in the database",
                    "within 25%", String.format(Locale.ROOT,
                            "%.1f%% spread across 10^3/10^5/10^6 (p50 %.2f ms at 10^3, %.2f ms at 10^6)", spread, first, last),
                    spread <= 25, spread <= 25 ? String.format(Locale.ROOT, "met, %.1f points to spare", 25 - spread)
                            : String.format(Locale.ROOT, "missed by %.1f points", spread - 25)));
        }

        // 4. in-process evaluation with 20 lots
        Map<String, Object> jmh = map(r.get("jmh"));
        if (jmh != null && jmh.get("evaluation") instanceof List<?> ev) {
            for (Object o : ev) {
                Map<String, Object> row = map(o);
                if (num(row.get("lots")) == 20 && row.get("opsPerSecond") != null) {
                    double ops = num(row.get("opsPerSecond"));
                    t.add(target("In-process evaluation with 20 lots at least 50,000/s on one core", ">= 50,000/s",
                            String.format(Locale.ROOT, "%,.0f/s (%.1f us each, 1 thread)", ops, num(row.get("avgMicros"))),
                            ops >= 50_000, ops >= 50_000
                                    ? String.format(Locale.ROOT, "met, %.1fx the target", ops / 50_000)
                                    : String.format(Locale.ROOT, "missed by %.0f%%", (1 - ops / 50_000) * 100)));
                }
            }
        }
        return t;
    }

    private static Map<String, Object> target(String name, String goal, String measured, boolean met, String verdict) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", name);
        m.put("goal", goal);
        m.put("measured", measured);
        m.put("met", met);
        m.put("verdict", verdict);
        return m;
    }

    static Map<String, Object> run(Map<String, Object> r, String db, String engine, int clients) {
        Map<String, Object> e = map(r.get(db));
        if (e == null || !(e.get("runs") instanceof List<?> runs)) {
            return null;
        }
        for (Object o : runs) {
            Map<String, Object> x = map(o);
            if (engine.equals(x.get("engine")) && num(x.get("clients")) == clients) {
                return x;
            }
        }
        return null;
    }

    static Map<String, Object> runMany(Map<String, Object> r, String db, String engine) {
        Map<String, Object> e = map(r.get(db));
        if (e == null || !(e.get("runs") instanceof List<?> runs)) {
            return null;
        }
        for (Object o : runs) {
            Map<String, Object> x = map(o);
            if (engine.equals(x.get("engine")) && num(x.get("clients")) > 1) {
                return x;
            }
        }
        return null;
    }

    static String clients(Object n) {
        return String.format(Locale.ROOT, num(n) == 1 ? "%.0f client" : "%.0f clients", num(n));
    }

    /** pgbench's TPC-B run at these clients, or null. */
    static Map<String, Object> tpcb(Map<String, Object> r, int clients) {
        Map<String, Object> pgb = map(r.get("pgbench"));
        for (Map<String, Object> tp : list(pgb == null ? null : pgb.get("tpcb"))) {
            if ((int) num(tp.get("clients")) == clients) {
                return tp;
            }
        }
        return null;
    }

    /** The run of an engine (rules-hot, rules-open, hold+commit...) whatever its clients. */
    static Map<String, Object> runEngine(Map<String, Object> r, String db, String engine) {
        for (Map<String, Object> x : list(map(r.get(db)) == null ? null : map(r.get(db)).get("runs"))) {
            if (engine.equals(x.get("engine"))) {
                return x;
            }
        }
        return null;
    }

    static List<Map<String, Object>> list(Object o) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                if (map(x) != null) {
                    out.add(map(x));
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String dbName(String key) {
        return key.equals("endToEndPostgres") ? "PostgreSQL" : "H2";
    }

    // ------------------------------------------------------------------------------------------- markdown

    static String markdown(Map<String, Object> r) {
        StringBuilder md = new StringBuilder();
        Map<String, Object> machine = map(r.get("machine"));
        Map<String, Object> pg = machine == null ? null : map(machine.get("postgres"));
        md.append("# Benchmarks (issues 7 and 17)\n\n");
        md.append("Produced by `bench/run.sh` on ").append(r.get("date")).append(", whole run ")
                .append(fmt(r.get("runSeconds"), 0)).append(" s");
        if (r.get("phaseSeconds") instanceof Map<?, ?> ps) {
            md.append(" (");
            List<String> parts = new ArrayList<>();
            ps.forEach((k, v) -> parts.add(k + " " + fmt(v, 0) + " s"));
            md.append(String.join(", ", parts)).append(") plus the build (").append(fmt(r.get("buildSeconds"), 0))
                    .append(" s)");
        }
        md.append(".\nMachine: ").append(machine == null ? "?" : machine.get("cores")).append(" cores, ")
                .append(machine == null ? "" : machine.get("java"));
        if (pg != null) {
            md.append(", PostgreSQL ").append(pg.get("version")).append(" (synchronous_commit=")
                    .append(pg.get("synchronous_commit")).append(", shared_buffers=").append(pg.get("shared_buffers"))
                    .append(")");
        }
        md.append(".\n");
        if (machine != null) {
            md.append("Load average (1/5/15 min) at start ").append(machine.get("loadAverageAtStart"))
                    .append(", at end ").append(machine.get("loadAverageAtEnd")).append(".");
            if (machine.get("note") != null && !machine.get("note").toString().isBlank()) {
                md.append(" **").append(machine.get("note")).append("**");
            }
            md.append("\n");
        }
        if (Boolean.TRUE.equals(map(r.get("config")) == null ? null : map(r.get("config")).get("quick"))) {
            md.append("\n**Quick mode** (`--quick`): shortened iterations, for checking the harness only.\n");
        }
        if (r.get("shortenedPhases") instanceof List<?> sp && !sp.isEmpty()) {
            md.append("\n**Shortened to stay within the time budget** (the machine ran well behind the idle "
                    + "estimate): ").append(sp).append(" ran shortened (JMH without forks; shorter load runs; fewer scale "
                    + "deductions).\n");
        }
        if (r.get("skippedSteps") instanceof List<?> sk && !sk.isEmpty()) {
            md.append("\n**Skipped to stay within the time budget**: ").append(sk).append(".\n");
        }
        md.append("\nThe load generator, the service and PostgreSQL share the same cores, so absolute figures are "
                + "lower than on a dedicated machine; the ratios are measured side by side in the same run.\n");

        // targets
        md.append("\n## Targets\n\n| target | goal | measured | verdict |\n|---|---|---|---|\n");
        if (r.get("targets") instanceof List<?> ts) {
            for (Object o : ts) {
                Map<String, Object> t = map(o);
                md.append("| ").append(t.get("target")).append(" | ").append(t.get("goal")).append(" | ")
                        .append(t.get("measured")).append(" | ")
                        .append(Boolean.TRUE.equals(t.get("met")) ? "**met**" : "**missed**").append(": ")
                        .append(t.get("verdict")).append(" |\n");
            }
        }

        // 1. JMH
        Map<String, Object> jmh = map(r.get("jmh"));
        md.append("\n## 1. Policy evaluation in process (JMH)\n\n");
        if (jmh != null) {
            md.append("One usage decision as `UsageService` makes it once the lots are read: `RuleSet.evaluateUsage` "
                    + "(exemption + sharing + priority, one KieSession) plus `Deduction.decide`; JMH 1.37, "
                    + jmh.getOrDefault("evaluationSettings", "1 thread") + ", `-prof gc` for allocation. "
                    + "Error bars are 99.9% confidence intervals.\n\n");
            md.append("| lots on the account | evaluations/s | average time (us) | allocated per evaluation |\n"
                    + "|---:|---:|---:|---:|\n");
            if (jmh.get("evaluation") instanceof List<?> ev) {
                for (Object o : ev) {
                    Map<String, Object> row = map(o);
                    md.append("| ").append(row.get("lots")).append(" | ").append(fmt(row.get("opsPerSecond"), 0))
                            .append(pm(row.get("opsPerSecondError"), 0)).append(" | ")
                            .append(fmt(row.get("avgMicros"), 1)).append(pm(row.get("avgMicrosError"), 1))
                            .append(" | ").append(bytes(row.get("allocBytesPerOp"))).append(" |\n");
                }
            }
            if (jmh.get("deduction") instanceof List<?> ded && !ded.isEmpty()) {
                md.append("\nOne whole deduction in process (`DeductionBench`: lock, idempotency look-up, plan, lots, "
                        + "decision, writes, commit; 5 lots on the account) on an in-memory H2 database, so that no "
                        + "commit is waited for and what is left is CPU: the service's `UsageService.record` (Drools, "
                        + "Jdbi) against the hand-written baseline (plain Java and JDBC). JMH average time, 3 x 1 s "
                        + "warmup, 3 x 1 s measurement, 1 fork.\n\n| path | average time (us) | allocated per "
                        + "deduction |\n|---|---:|---:|\n");
                for (Object o : ded) {
                    Map<String, Object> row = map(o);
                    md.append("| ").append(row.get("path")).append(" | ").append(fmt(row.get("avgMicros"), 1))
                            .append(pm(row.get("avgMicrosError"), 1)).append(" | ")
                            .append(bytes(row.get("allocBytesPerOp"))).append(" |\n");
                }
            }
            Map<String, Object> b = map(jmh.get("rulesBuild"));
            if (b != null) {
                md.append("\n| rules/ compile (read + executable-model KieBase + self-check) | time |\n|---|---:|\n");
                row(md, "first build in a fresh JVM (cold start), mean of " + fmt(map(b.get("coldBuild")) == null ? null
                        : map(b.get("coldBuild")).get("samples"), 0) + " JVM(s)", map(b.get("coldBuild")));
                row(md, "build in a warm JVM", map(b.get("warmBuild")));
                row(md, "`PolicyEngine.reload()` after a rule file changed", map(b.get("reload")));
            }
        } else {
            md.append(r.containsKey("jmhError") ? "Failed: " + r.get("jmhError") + "\n" : "Not run.\n");
        }

        ThroughputReport.sections(md, r); // 2. end to end, 3. against pgbench, 4. CPU by process, 5. batches

        // 4. scale
        Map<String, Object> sc = map(r.get("scale"));
        md.append("\n## 6. Scale (PostgreSQL, one deduction at a time, in process)\n\n");
        if (sc != null) {
            md.append("`UsageService.record` (lock, plan, lots, rules, writes, commit) called in a loop by one thread "
                    + "against PostgreSQL, and the "
                    + "hand-written baseline, taking turns deduction by deduction after a common JIT warm-up. The lots table is filled by "
                    + "`INSERT ... SELECT FROM generate_series` (10 lots per background account, most expired or "
                    + "empty; charged accounts hold 5 active lots), then `ANALYZE`; each size is its own database, and the configurations take turns. Every deduction commits "
                    + "(synchronous_commit on), which dominates its cost.\n\n");
            md.append("| lots in the database | lots on the charged account | rules p50 ms | rules mean ms | rules p99 ms "
                    + "| baseline p50 ms | baseline mean ms |\n|---:|---:|---:|---:|---:|---:|---:|\n");
            scaleRows(md, sc.get("byLotsInDatabase"));
            scaleRows(md, sc.get("byLotsOnAccount"));
            Map<String, Object> ni = map(sc.get("withoutLotsByAccountExpiryIndex"));
            if (ni != null) {
                md.append("| ").append(fmt(ni.get("lotsInDatabase"), 0)).append(", **index `lots_by_account_expiry` dropped** | 5 | ")
                        .append(fmt(map(ni.get("rules")).get("p50Ms"), 2)).append(" | ")
                        .append(fmt(map(ni.get("rules")).get("meanMs"), 2)).append(" | ")
                        .append(fmt(map(ni.get("rules")).get("p99Ms"), 2)).append(" | ")
                        .append(fmt(map(ni.get("baseline")).get("p50Ms"), 2)).append(" | ")
                        .append(fmt(map(ni.get("baseline")).get("meanMs"), 2)).append(" |\n");
            }
            md.append("\nThe index that keeps it flat is `lots_by_account_expiry ON lots (account_id, expires_at)` "
                    + "(V1__ledger.sql): the lot query is an index range scan on the account's unexpired lots, "
                    + "whatever the table holds. The other per-request reads are primary-key look-ups "
                    + "(`accounts`, `plan_history (account_id, seq)`, `usage_decisions`). EXPLAIN (ANALYZE, BUFFERS) "
                    + "at 10^6 lots:\n\n```\n");
            appendLines(md, sc.get("explainLotQueryAt1e6"));
            md.append("```\n\nWith the index dropped (same query):\n\n```\n");
            if (ni != null) {
                appendLines(md, ni.get("explainLotQuery"));
            }
            md.append("```\n\nPlan history look-up:\n\n```\n");
            appendLines(md, sc.get("explainPlanHistory"));
            md.append("```\n");
        } else {
            md.append(r.containsKey("scaleError") ? "Failed: " + r.get("scaleError") + "\n" : "Not run.\n");
        }

        // profile
        md.append("\n## Profile (JFR of the service under load)\n\n");
        md.append(analysis(r));
        boolean anyProfile = false;
        for (String key : List.of("endToEndPostgres", "endToEndH2")) {
            Map<String, Object> e = map(r.get(key));
            Map<String, Object> prof = e == null ? null : map(e.get("profile"));
            if (prof == null) {
                continue;
            }
            anyProfile = true;
            md.append("CPU samples of the request and usage-writer threads on ").append(dbName(key))
                    .append(" during the multi-client runs, each charged to the first non-JDK frame on its stack "
                            + "(JDK code counts for its caller):\n\n");
            List<String> labels = new ArrayList<>(prof.keySet());
            labels.removeIf(l -> map(prof.get(l)) == null);
            md.append("| subsystem |");
            for (String l : labels) {
                md.append(" ").append(l).append(" % |");
            }
            md.append("\n|---|");
            labels.forEach(l -> md.append("---:|"));
            md.append("\n");
            java.util.Set<String> subs = new java.util.LinkedHashSet<>();
            for (String l : labels) {
                Map<String, Object> bs = map(map(prof.get(l)).get("bySubsystemPercent"));
                if (bs != null) {
                    subs.addAll(bs.keySet());
                }
            }
            for (String s : subs) {
                md.append("| ").append(s).append(" |");
                for (String l : labels) {
                    Object v = map(map(prof.get(l)).get("bySubsystemPercent")).get(s);
                    md.append(" ").append(v == null ? "-" : fmt(v, 1)).append(" |");
                }
                md.append("\n");
            }
            md.append("| *(CPU samples / samples waiting in native I/O)* |");
            for (String l : labels) {
                md.append(" ").append(map(prof.get(l)).get("cpuSamples")).append(" / ")
                        .append(map(prof.get(l)).get("nativeSamples")).append(" |");
            }
            md.append("\n\nInclusive shares (samples with the method anywhere on the stack):\n\n");
            for (String l : labels) {
                md.append("- ").append(l).append(": ").append(map(prof.get(l)).get("inclusivePercent")).append("\n");
            }
            md.append("\nHottest leaf methods:\n\n");
            for (String l : labels) {
                md.append("- ").append(l).append(": ").append(map(prof.get(l)).get("topLeafMethodsPercent")).append("\n");
            }
            md.append("\n");
        }
        if (!anyProfile) {
            md.append("Not run.\n");
        }
        md.append("\nRaw figures: `bench/results/latest.json`, `bench/results/jmh-*.json`.\n");
        return md.toString();
    }

    /** What the figures say about where the rules path spends its time, in sentences built from this run's data. */
    static String analysis(Map<String, Object> r) {
        StringBuilder a = new StringBuilder();
        String key = map(r.get("endToEndPostgres")) != null ? "endToEndPostgres" : "endToEndH2";
        Map<String, Object> r1 = run(r, key, "rules", 1);
        Map<String, Object> b1 = run(r, key, "baseline", 1);
        if (r1 != null && b1 != null) {
            double gap = num(r1.get("serverMeanMs")) - num(b1.get("serverMeanMs"));
            double eval = num(r1.get("rulesEvaluationMeanMs"));
            a.append(String.format(Locale.ROOT, "- Where the rules path's extra time goes (%s, 1 client, server-side "
                    + "means): rules %.2f ms against baseline %.2f ms, a gap of %.2f ms. Drools' own evaluation "
                    + "(`credits.policy.evaluation`) accounts for %.2f ms of it (%.0f%%)", dbName(key),
                    num(r1.get("serverMeanMs")), num(b1.get("serverMeanMs")), gap, eval, eval / gap * 100));
            a.append(String.format(Locale.ROOT, "; the rest, %.2f ms, is the Jdbi store layer and the service's "
                    + "glue, which the baseline does not have.\n", gap - eval));
        }
        Map<String, Object> sc = map(r.get("scale"));
        Map<String, Object> trips = sc == null ? null : map(sc.get("databaseCallsPerDeduction"));
        if (trips != null) {
            a.append(String.format(Locale.ROOT, "- Round trips: a deduction makes %s JDBC calls that reach the "
                    + "database on the rules path and %s on the baseline (statement executions, commit, and "
                    + "isolation-level reads/writes, which the PostgreSQL driver answers with a query; counted in "
                    + "the scale phase).\n", fmt(trips.get("rules"), 1), fmt(trips.get("baseline"), 1)));
        }
        Map<String, Object> e = map(r.get(key));
        Map<String, Object> prof = e == null ? null : map(e.get("profile"));
        Map<String, Object> rn = prof == null ? null : map(prof.get("rules-c" + (runMany(r, key, "rules") == null ? ""
                : runMany(r, key, "rules").get("clients"))));
        if (rn != null && map(rn.get("bySubsystemPercent")) != null) {
            Map<String, Object> bs = map(rn.get("bySubsystemPercent"));
            double drools = num0(bs.get("Drools engine")) + num0(bs.get("Drools engine (generated rule code)"))
                    + num0(bs.get("RuleSet / facts (policy glue)"));
            double jdbi = num0(bs.get("JDBI")) + num0(bs.get("store (DAOs, Store)"));
            a.append(String.format(Locale.ROOT, "- CPU of the request and usage-writer threads in the rules path under load (%s "
                    + "samples): Drools and its glue %.0f%%, JDBI and the store %.0f%%, the JDBC driver %.0f%%, the "
                    + "HTTP stack (Tomcat, Spring, Jackson, Micrometer) most of the rest; see the table.\n",
                    rn.get("cpuSamples"), drools, jdbi, num0(bs.get("PostgreSQL JDBC driver")) + num0(bs.get("H2 (embedded database)"))));
        }
        if (a.length() > 0) {
            a.append("\n");
        }
        return a.toString();
    }

    private static double num0(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    private static void scaleRows(StringBuilder md, Object rows) {
        if (!(rows instanceof List<?> list)) {
            return;
        }
        for (Object o : list) {
            Map<String, Object> x = map(o);
            Map<String, Object> a = map(x.get("rules"));
            Map<String, Object> b = map(x.get("baseline"));
            md.append("| ").append(fmt(x.get("lotsInDatabase"), 0)).append(" | ").append(x.get("lotsOnChargedAccount"))
                    .append(" | ").append(fmt(a.get("p50Ms"), 2)).append(" | ").append(fmt(a.get("meanMs"), 2))
                    .append(" | ").append(fmt(a.get("p99Ms"), 2)).append(" | ").append(fmt(b.get("p50Ms"), 2))
                    .append(" | ").append(fmt(b.get("meanMs"), 2)).append(" |\n");
        }
    }

    private static void appendLines(StringBuilder md, Object lines) {
        if (lines instanceof List<?> l) {
            for (Object o : l) {
                md.append(o).append("\n");
            }
        }
    }

    private static void row(StringBuilder md, String name, Map<String, Object> x) {
        if (x != null) {
            md.append("| ").append(name).append(" | ").append(fmt(x.get("ms"), 0)).append(pm(x.get("msError"), 0))
                    .append(" ms |\n");
        }
    }

    static String fmt(Object o, int digits) {
        if (!(o instanceof Number n) || Double.isNaN(n.doubleValue())) {
            return o == null ? "-" : String.valueOf(o);
        }
        return String.format(Locale.ROOT, "%,." + digits + "f", n.doubleValue());
    }

    private static String pm(Object err, int digits) {
        return err instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() > 0
                ? " ± " + fmt(n, digits) : "";
    }

    private static String bytes(Object o) {
        if (!(o instanceof Number n)) {
            return "-";
        }
        double b = n.doubleValue();
        return b >= 10_240 ? fmt(b / 1024, 1) + " KiB" : fmt(b, 0) + " B";
    }
}

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

        // 1. Drools' share of end-to-end latency, against the hand-written baseline (1 client: pure service time)
        String db = r.containsKey("endToEndPostgres") ? "endToEndPostgres" : "endToEndH2";
        Map<String, Object> rules1 = run(r, db, "rules", 1);
        Map<String, Object> base1 = run(r, db, "baseline", 1);
        if (rules1 != null && base1 != null) {
            double a = num(rules1.get("p50Ms"));
            double b = num(base1.get("p50Ms"));
            double overhead = (a / b - 1) * 100;
            String fix = "";
            if (rules1.get("rulesEvaluationMeanMs") != null) {
                double ev = num(rules1.get("rulesEvaluationMeanMs"));
                fix += String.format(Locale.ROOT, "; Drools' evaluation alone averaged %.2f ms, %+.1f%% of the "
                        + "baseline; the rest of the gap, %.2f ms, is the service's store layer (Jdbi) and glue",
                        ev, ev / b * 100, a - b - ev);
            }
            t.add(target("Drools adds at most 15% to end-to-end deduction latency vs the no-rules baseline",
                    "<= +15%", String.format(Locale.ROOT, "%+.1f%% (p50 at 1 client on %s: rules %.2f ms, baseline %.2f ms%s)",
                            overhead, dbName(db), a, b, fix),
                    overhead <= 15, overhead <= 15
                            ? String.format(Locale.ROOT, "met, %.1f points to spare", 15 - overhead)
                            : String.format(Locale.ROOT, "missed by %.1f points (%.2f ms over the allowed %.2f ms)",
                                    overhead - 15, a - b * 1.15, b * 1.15)));
        }

        // 2. deductions/s on PostgreSQL against pgbench's TPC-B-like tps, same client count
        Map<String, Object> rulesN = runMany(r, "endToEndPostgres", "rules");
        Map<String, Object> pgb = map(r.get("pgbench"));
        if (rulesN != null && pgb != null && map(pgb.get("tpcb")) != null) {
            double rps = num(rulesN.get("requestsPerSecond"));
            double tps = num(map(pgb.get("tpcb")).get("tps"));
            double ratio = rps / tps * 100;
            String fix = "";
            Double rulesCpu = (Double) rulesN.get("machineCpuMsPerRequest");
            Double tpcbCpu = (Double) map(pgb.get("tpcb")).get("machineCpuMsPerTransaction");
            if (rulesCpu != null && tpcbCpu != null) {
                fix = String.format(Locale.ROOT, "; the run is CPU-bound: the whole machine spends %.2f ms of CPU "
                        + "per deduction (service %.2f ms, load generator %.2f ms, PostgreSQL and the rest %.2f ms) "
                        + "against %.2f ms per TPC-B transaction, pgbench's client included", rulesCpu,
                        num(rulesN.get("serviceCpuMsPerRequest")), num(rulesN.get("loadGeneratorCpuMsPerRequest")),
                        rulesCpu - num(rulesN.get("serviceCpuMsPerRequest"))
                                - num(rulesN.get("loadGeneratorCpuMsPerRequest")), tpcbCpu);
            }
            t.add(target("Deductions/s on PostgreSQL at least 50% of pgbench TPC-B tps with the same clients",
                    ">= 50%", String.format(Locale.ROOT, "%.1f%% (%.0f deductions/s vs %.0f tps, %s clients%s)", ratio, rps,
                            tps, rulesN.get("clients"), fix),
                    ratio >= 50, ratio >= 50 ? String.format(Locale.ROOT, "met, %.1f points to spare", ratio - 50)
                            : String.format(Locale.ROOT, "missed by %.1f points (%.0f deductions/s short of %.0f)",
                                    50 - ratio, tps * 0.5 - rps, tps * 0.5)));
        }

        // 2b. a hold + commit pair costs at most twice one usage call (issue 14), same service, clients and run
        Map<String, Object> holdsN = runMany(r, "endToEndPostgres", "hold+commit");
        if (rulesN != null && holdsN != null) {
            double usage = num(rulesN.get("requestsPerSecond"));
            double pairs = num(holdsN.get("requestsPerSecond"));
            double cost = usage / pairs;
            t.add(target("A hold + commit costs at most 2x one usage call (PostgreSQL, same clients, same run)",
                    "<= 2.0x", String.format(Locale.ROOT, "%.2fx (%.0f usage calls/s vs %.0f hold + commit pairs/s, "
                            + "%s clients; p50 %.2f ms vs %.2f ms)", cost, usage, pairs, holdsN.get("clients"),
                            num(rulesN.get("p50Ms")), num(holdsN.get("p50Ms"))),
                    cost <= 2.0, cost <= 2.0 ? String.format(Locale.ROOT, "met, %.2fx to spare", 2.0 - cost)
                            : String.format(Locale.ROOT, "missed by %.2fx", cost - 2.0)));
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
        md.append("# Benchmarks (issue 7)\n\n");
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
                        + "Jdbi) against the hand-written baseline (plain Java and JDBC). JMH average time, 4 x 2 s "
                        + "warmup, 4 x 2 s measurement, 1 fork.\n\n| path | average time (us) | allocated per "
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

        // 2. end to end
        md.append("\n## 2. End to end (HTTP to the packaged jar)\n\n");
        Map<String, Object> any = map(r.get("endToEndPostgres")) != null ? map(r.get("endToEndPostgres"))
                : map(r.get("endToEndH2"));
        if (any != null) {
            md.append(String.format(Locale.ROOT, "`java -jar target-bench/credits-policy.jar` (1 GB heap) with "
                    + "%,.0f accounts and %,.0f lots seeded by SQL; a Java HttpClient load generator in another JVM, "
                    + "closed loop: each client sends its next request when the last is answered. Mix: products "
                    + "IDE 35%%, CLI 25%%, JetBrains 15%%, QoderWork 15%%, Mobile 10%%; all features; 5%% failed calls; "
                    + "2%% retries of an earlier request id (must replay); 5%% dated before the sharing date; "
                    + "20%% of accounts on enterprise tiers. *rules* is `POST /v1/usage`; *baseline* is "
                    + "`POST /bench/v1/usage`, the same deduction written by hand in plain Java and JDBC "
                    + "(no Drools, no JDBI) behind the same Tomcat/Spring/Jackson layer, on the same data. Latency "
                    + "is measured by the client; *server* is Spring's `http.server.requests` mean for the path; "
                    + "*eval* is the service's own `credits.policy.evaluation` timer (the Drools part). After a "
                    + "warm-up of each path, the N-client runs measure throughput one path at a time; then the "
                    + "1-client run measures service time with the two paths taking turns request by request, so "
                    + "that both meet the machine in the same state.\n\n",
                    num(any.get("accounts")), num(any.get("lots"))));
            md.append("| database | path | clients | requests/s | p50 ms | p99 ms | p99.9 ms | errors | server mean ms "
                    + "| eval mean ms | charged / exempt / insufficient / replayed |\n"
                    + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (String key : List.of("endToEndH2", "endToEndPostgres")) {
                Map<String, Object> e = map(r.get(key));
                if (e == null || !(e.get("runs") instanceof List<?> runs)) {
                    continue;
                }
                List<Map<String, Object>> sorted = new ArrayList<>();
                for (Object o : runs) {
                    sorted.add(map(o));
                }
                List<String> order = List.of("rules", "baseline", "hold+commit");
                sorted.sort((x, y) -> {
                    int c = Double.compare(num(x.get("clients")), num(y.get("clients")));
                    return c != 0 ? c : Integer.compare(order.indexOf(x.get("engine")), order.indexOf(y.get("engine")));
                });
                for (Map<String, Object> x : sorted) {
                    md.append("| ").append(dbName(key)).append(" | ").append(x.get("engine")).append(" | ")
                            .append(x.get("clients")).append(" | ").append(fmt(x.get("requestsPerSecond"), 0))
                            .append(" | ").append(fmt(x.get("p50Ms"), 2)).append(" | ").append(fmt(x.get("p99Ms"), 2))
                            .append(" | ").append(fmt(x.get("p999Ms"), 2)).append(" | ").append(x.get("errors"))
                            .append(" | ").append(fmt(x.get("serverMeanMs"), 2)).append(" | ")
                            .append(x.get("rulesEvaluationMeanMs") == null ? "-" : fmt(x.get("rulesEvaluationMeanMs"), 3))
                            .append(" | ").append(x.get("charged")).append(" / ").append(x.get("exempt")).append(" / ")
                            .append(x.get("insufficient")).append(" / ").append(x.get("replayed")).append(" |\n");
                }
            }
            md.append("\n");
            for (String key : List.of("endToEndH2", "endToEndPostgres")) {
                Map<String, Object> e = map(r.get(key));
                if (e == null) {
                    continue;
                }
                Map<String, Object> r1 = run(r, key, "rules", 1);
                Map<String, Object> b1 = run(r, key, "baseline", 1);
                Map<String, Object> rn = runMany(r, key, "rules");
                Map<String, Object> bn = runMany(r, key, "baseline");
                md.append("- ").append(dbName(key)).append(": ");
                if (r1 != null && b1 != null) {
                    double a = num(r1.get("p50Ms"));
                    double b = num(b1.get("p50Ms"));
                    md.append(String.format(Locale.ROOT, "at 1 client the rules path takes %.2f ms at p50 against "
                            + "%.2f ms without rules (%+.1f%%: %.0f%% of the rules path's latency is work the "
                            + "baseline does not do, Drools and the Jdbi store layer together)", a, b,
                            (a / b - 1) * 100, (a - b) / a * 100));
                    if (r1.get("rulesEvaluationMeanMs") != null) {
                        md.append(String.format(Locale.ROOT, "; the evaluation alone averaged %.3f ms",
                                num(r1.get("rulesEvaluationMeanMs"))));
                    }
                }
                if (rn != null && bn != null) {
                    md.append(String.format(Locale.ROOT, "; at %s clients the rules path serves %.0f requests/s, "
                            + "%.0f%% of the baseline's %.0f/s", rn.get("clients"), num(rn.get("requestsPerSecond")),
                            num(rn.get("requestsPerSecond")) / num(bn.get("requestsPerSecond")) * 100,
                            num(bn.get("requestsPerSecond"))));
                }
                Map<String, Object> cc = map(e.get("crossCheck"));
                if (cc != null) {
                    md.append(String.format(Locale.ROOT, ". Cross-check: the baseline decided %s of %s sample calls "
                            + "exactly as the rules (status, reason, amounts, allocations) %s", cc.get("agree"),
                            cc.get("calls"), cc.get("reasons")));
                    if (cc.get("differences") instanceof List<?> d && !d.isEmpty()) {
                        md.append("; differences: ").append(d);
                    }
                }
                md.append(String.format(Locale.ROOT, ". Service start to healthy: %s s.\n", fmt(e.get("serviceStartSeconds"), 1)));
            }
        } else {
            md.append("Not run.\n");
        }

        // 3. pgbench
        Map<String, Object> pgb = map(r.get("pgbench"));
        md.append("\n## 3. What this PostgreSQL commits (pgbench, same run, same server)\n\n");
        if (pgb != null) {
            md.append(String.format(Locale.ROOT, "`pgbench -c %s -j 2 -T %s`: the built-in TPC-B-like transaction "
                    + "(scale %s), and the deduction-shaped script of `bench/pgbench/` (lock the account's lot, "
                    + "decrement, insert an allocation; 10,000 accounts). *Machine CPU* is the busy time of both "
                    + "cores (/proc/stat) during the run divided by what it completed: everything the work costs the "
                    + "machine, client included; with 2 cores, 2,000 ms of CPU per second bound the throughput.\n\n",
                    pgb.get("clients"), pgb.get("seconds"), pgb.get("scale")));
            md.append("| workload | clients | transactions/s | latency avg ms | machine CPU ms per transaction "
                    + "| of which the service | of which the load generator |\n|---|---:|---:|---:|---:|---:|---:|\n");
            for (String k : List.of("tpcb", "deduction")) {
                Map<String, Object> x = map(pgb.get(k));
                if (x != null) {
                    md.append("| pgbench ").append(x.get("label")).append(" | ").append(pgb.get("clients")).append(" | ")
                            .append(fmt(x.get("tps"), 0)).append(" | ").append(fmt(x.get("latencyAvgMs"), 2))
                            .append(" | ").append(fmt(x.get("machineCpuMsPerTransaction"), 2)).append(" | - | - |\n");
                }
            }
            Map<String, Object> rn = runMany(r, "endToEndPostgres", "rules");
            Map<String, Object> bn = runMany(r, "endToEndPostgres", "baseline");
            double tps = map(pgb.get("tpcb")) == null ? Double.NaN : num(map(pgb.get("tpcb")).get("tps"));
            for (Map<String, Object> x : new Map[] {rn, bn}) {
                if (x != null) {
                    md.append("| service deductions, ").append(x.get("engine")).append(" (HTTP) | ").append(x.get("clients"))
                            .append(" | ").append(fmt(x.get("requestsPerSecond"), 0))
                            .append(String.format(Locale.ROOT, " (%.0f%% of TPC-B)", num(x.get("requestsPerSecond")) / tps * 100))
                            .append(" | ").append(fmt(x.get("meanMs"), 2)).append(" | ")
                            .append(fmt(x.get("machineCpuMsPerRequest"), 2)).append(" | ")
                            .append(fmt(x.get("serviceCpuMsPerRequest"), 2)).append(" | ")
                            .append(fmt(x.get("loadGeneratorCpuMsPerRequest"), 2)).append(" |\n");
                }
            }
        } else {
            md.append(r.containsKey("pgbenchError") ? "Failed: " + r.get("pgbenchError") + "\n" : "Not run.\n");
        }

        // 4. scale
        Map<String, Object> sc = map(r.get("scale"));
        md.append("\n## 4. Scale (PostgreSQL, one deduction at a time, in process)\n\n");
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
            md.append("CPU samples of the request threads on ").append(dbName(key))
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
            a.append(String.format(Locale.ROOT, "- CPU of the request threads in the rules path under load (%s "
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

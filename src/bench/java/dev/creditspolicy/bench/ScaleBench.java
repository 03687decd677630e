package dev.creditspolicy.bench;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Databases;
import dev.creditspolicy.store.Store;

/**
 * Scale: the cost of one deduction (UsageService.record, in process, one thread, against PostgreSQL: lock, plan,
 * lots, rules, writes, commit) with 10^3, 10^5 and 10^6 lots in the database, spread over accounts, and with 1 to
 * 2,000 lots on the charged account, and the hand-written baseline beside it; JDBC calls that reach the database
 * per deduction. Each size is its own database, filled once; the measurements then take turns (one deduction
 * per database and path, round robin) so that the JIT warming up and the machine's load drifting affect every
 * configuration alike. EXPLAIN of the lot query, and the same with the (account_id, expires_at) index dropped.
 */
final class ScaleBench {
    /** Lots per background account; each has some expired, some empty and some active lots. */
    static final int BG_LOTS = 10;
    static final int PROBES = 10;
    static final int PROBE_LOTS = 5;
    static final int[] SIZES = {1_000, 100_000, 1_000_000};
    static final int[] PER_ACCOUNT = {1, 20, 200, 2000};
    static final String LOT_QUERY = "SELECT * FROM lots WHERE account_id = '%s' "
            + "AND expires_at > timestamptz '2026-07-15 10:00:00+08' AND remaining > 0 ORDER BY lot_id";
    private static final Instant AT = Workload.instant("2026-07-15T10:00:00+08:00");

    private final Path rulesDir;
    private final int warmSeconds;
    private final int warmup;
    private final int measure;
    private final Consumer<String> say;
    private long seq;

    ScaleBench(Path rulesDir, int warmSeconds, int warmup, int measure, Consumer<String> say) {
        this.rulesDir = rulesDir;
        this.warmSeconds = warmSeconds;
        this.warmup = warmup;
        this.measure = measure;
        this.say = say;
    }

    interface Deduct {
        Object apply(Usage cmd);
    }

    /** One database of a given size, with the three deduction paths over it. */
    private static final class Db implements AutoCloseable {
        final String name;
        final HikariDataSource ds;
        final Map<String, Deduct> paths = new LinkedHashMap<>();
        final Map<String, RoundTrips> trips = new LinkedHashMap<>();

        Db(String name, PolicyEngine engine, Clock clock) {
            this.name = name;
            HikariConfig cfg = new HikariConfig();
            cfg.setJdbcUrl(Postgres.jdbcUrl(name));
            cfg.setUsername(Postgres.USER);
            cfg.setMaximumPoolSize(2);
            cfg.setPoolName(name);
            ds = new HikariDataSource(cfg);
            Databases.migrate(ds);
            trips.put("rules", new RoundTrips(ds));
            trips.put("baseline", new RoundTrips(ds));
            CreditsServices services = CreditsServices.of(new Store(trips.get("rules").dataSource), engine, clock,
                    new SimpleMeterRegistry());
            BaselineDeduction baseline = new BaselineDeduction(trips.get("baseline").dataSource, clock);
            paths.put("rules", cmd -> services.usage().record(cmd));
            paths.put("baseline", baseline::record);
        }

        @Override
        public void close() {
            ds.close();
        }
    }

    /** A configuration measured: a database, the accounts charged in turn. */
    private record Config(String label, Db db, List<String> accounts) {
    }

    /** {@code dbPrefix}: the databases are dbPrefix_1000, _100000, _1000000, created and dropped by the caller. */
    Map<String, Object> run(List<String> dbNames) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        Clock clock = Clock.systemUTC();
        PolicyEngine engine = PolicyEngine.load(rulesDir, clock);
        List<Db> dbs = new ArrayList<>();
        try {
            List<String> probes = new ArrayList<>();
            for (int i = 0; i < PROBES; i++) {
                probes.add(String.format("probe-%07d", i));
            }
            for (int i = 0; i < SIZES.length; i++) {
                long t0 = System.nanoTime();
                Db db = new Db(dbNames.get(i), engine, clock);
                dbs.add(db);
                try (Connection c = db.ds.getConnection(); Statement s = c.createStatement()) {
                    insertAccounts(s, "probe-", 0, PROBES - 1);
                    insertLots(s, "probe-", 0, PROBES - 1, PROBE_LOTS);
                    int bg = (SIZES[i] - PROBES * PROBE_LOTS) / BG_LOTS;
                    insertAccounts(s, "bg-", 0, bg - 1);
                    insertLots(s, "bg-", 0, bg - 1, BG_LOTS);
                    if (i == SIZES.length - 1) {
                        for (int k : PER_ACCOUNT) {
                            insertAccounts(s, "many-" + k + "-", 0, 0);
                            insertLots(s, "many-" + k + "-", 0, 0, k);
                        }
                    }
                    s.execute("ANALYZE");
                }
                say.accept(String.format("  scale: database with %,d lots filled in %.1f s", count(db.ds, "SELECT count(*) FROM lots"),
                        (System.nanoTime() - t0) / 1e9));
            }
            Db largest = dbs.get(dbs.size() - 1);
            List<Config> bySize = new ArrayList<>();
            for (Db db : dbs) {
                bySize.add(new Config("size-" + db.name, db, probes));
            }
            List<Config> byAccount = new ArrayList<>();
            for (int k : PER_ACCOUNT) {
                byAccount.add(new Config("k" + k, largest, List.of(String.format("many-%d-%07d", k, 0))));
            }

            // JIT warm-up over every configuration and path, bounded in time
            List<Config> all = new ArrayList<>(bySize);
            all.addAll(byAccount);
            long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmSeconds);
            int rounds = 0;
            while (rounds < warmup || (System.nanoTime() < warmUntil && rounds < 1000)) {
                for (Config c : all) {
                    for (Map.Entry<String, Deduct> p : c.db().paths.entrySet()) {
                        p.getValue().apply(usage("warm-" + p.getKey(), c.accounts().get(rounds % c.accounts().size())));
                    }
                }
                rounds++;
                if (rounds >= warmup && System.nanoTime() >= warmUntil) {
                    break;
                }
            }
            out.put("warmupRounds", rounds);
            // the warm-up filled the usage tables, which were empty: refresh the statistics as autovacuum would, so
            // that no connection keeps a plan made for an empty table (ANALYZE invalidates cached plans)
            for (Db db : dbs) {
                try (Connection c = db.ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("ANALYZE");
                }
            }
            say.accept(String.format("  scale: warm-up %d rounds over %d configurations x %d paths", rounds, all.size(), all.get(0).db().paths.size()));

            List<Map<String, Object>> sizeRows = new ArrayList<>();
            Map<String, Long> tripsBefore = new LinkedHashMap<>();
            for (String p : List.of("rules", "baseline")) {
                tripsBefore.put(p, bySize.stream().mapToLong(c -> c.db().trips.get(p).calls.get()).sum());
            }
            Map<String, Map<String, Object>> sizeResults = measure(bySize, measure);
            Map<String, Object> tripsPer = new LinkedHashMap<>();
            for (String p : List.of("rules", "baseline")) {
                long after = bySize.stream().mapToLong(c -> c.db().trips.get(p).calls.get()).sum();
                tripsPer.put(p, LoadGenerator.round((after - tripsBefore.get(p)) / (double) (measure * bySize.size()), 2));
            }
            out.put("databaseCallsPerDeduction", tripsPer);
            for (Config c : bySize) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("lotsInDatabase", count(c.db().ds, "SELECT count(*) FROM lots"));
                row.put("lotsOnChargedAccount", PROBE_LOTS);
                row.putAll(sizeResults.get(c.label()));
                sizeRows.add(row);
            }
            out.put("byLotsInDatabase", sizeRows);
            say.accept("  scale: 10^3 / 10^5 / 10^6 lots in the database measured");

            List<Map<String, Object>> accountRows = new ArrayList<>();
            Map<String, Map<String, Object>> accountResults = measure(byAccount, Math.max(20, measure / 2));
            for (int i = 0; i < PER_ACCOUNT.length; i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("lotsInDatabase", count(largest.ds, "SELECT count(*) FROM lots"));
                row.put("lotsOnChargedAccount", PER_ACCOUNT[i]);
                row.putAll(accountResults.get(byAccount.get(i).label()));
                accountRows.add(row);
            }
            out.put("byLotsOnAccount", accountRows);
            say.accept("  scale: 1 / 20 / 200 / 2000 lots on the charged account measured");

            String probe = probes.get(0);
            out.put("explainLotQueryAt1e6", explain(largest.ds, String.format(LOT_QUERY, probe)));
            out.put("explainLotQuery2000LotsOnAccount", explain(largest.ds, String.format(LOT_QUERY, "many-2000-0000000")));
            out.put("explainPlanHistory", explain(largest.ds, "SELECT * FROM plan_history WHERE account_id = '"
                    + probe + "' ORDER BY seq"));
            out.put("explainAccountLock", explain(largest.ds, "SELECT * FROM accounts WHERE account_id = '"
                    + probe + "' FOR UPDATE"));

            // what the index buys: the same deduction with lots_by_account_expiry dropped
            try (Connection c = largest.ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP INDEX lots_by_account_expiry");
                s.execute("ANALYZE lots");
            }
            Map<String, Object> noIndex = new LinkedHashMap<>();
            noIndex.put("lotsInDatabase", count(largest.ds, "SELECT count(*) FROM lots"));
            Config probeLargest = new Config("noidx", largest, probes);
            noIndex.putAll(measure(List.of(probeLargest), Math.max(5, measure / 30)).get("noidx"));
            noIndex.put("explainLotQuery", explain(largest.ds, String.format(LOT_QUERY, probe)));
            out.put("withoutLotsByAccountExpiryIndex", noIndex);
            say.accept("  scale: without the index measured");
        } finally {
            for (Db db : dbs) {
                db.close();
            }
        }
        return out;
    }

    private static void insertAccounts(Statement s, String prefix, int from, int to) throws SQLException {
        if (to < from) {
            return;
        }
        String id = "'" + prefix + "' || lpad(g::text, 7, '0')";
        s.execute("INSERT INTO accounts (account_id, realm, created_at, request_hash) SELECT " + id
                + ", 'QODER', timestamptz '2026-05-01 00:00+08', 'bench-seed' FROM generate_series(" + from + ", "
                + to + ") g");
        s.execute("INSERT INTO plan_history (account_id, seq, plan, effective_at) SELECT " + id
                + ", 0, 'PERSONAL_PRO', timestamptz '2026-05-01 00:00+08' FROM generate_series(" + from + ", "
                + to + ") g");
    }

    /**
     * {@code perAccount} lots per account: lot 1 is this cycle's plan lot (July), the others add-ons whose
     * effective dates and expiries spread over 2026 (so most are expired or not yet the soonest), a fifth empty.
     * On the probe and many-lots accounts every lot is active and well filled, so each deduction is charged.
     */
    private static void insertLots(Statement s, String prefix, int from, int to, int perAccount) throws SQLException {
        if (to < from) {
            return;
        }
        boolean background = prefix.equals("bg-");
        String acct = "'" + prefix + "' || lpad(g::text, 7, '0')";
        String expires = background
                ? "timestamptz '2026-01-01 00:00+08' + (((g * 7 + i * 37) % 360) || ' days')::interval"
                : "timestamptz '2026-07-20 00:00+08' + (i || ' minutes')::interval";
        String remaining = background ? "CASE WHEN (g + i) % 5 = 0 THEN 0 ELSE 1000 END" : "1000000";
        s.execute("INSERT INTO lots (lot_id, account_id, realm, source, plan, origin_product, reason, amount, "
                + "remaining, effective_at, expires_at, initial_expires_at, request_hash) SELECT "
                + acct + " || '-' || i, " + acct + ", 'QODER', "
                + "CASE WHEN i = 1 THEN 'PLAN' WHEN i % 2 = 0 THEN 'PURCHASE' ELSE 'PROMOTION' END, "
                + "CASE WHEN i = 1 THEN 'PERSONAL_PRO' END, NULL, 'bench seed', "
                + (background ? "1000" : "1000000") + ", " + remaining + ", "
                + "CASE WHEN i = 1 THEN timestamptz '2026-07-01 00:00+08' ELSE timestamptz '2026-01-01 00:00+08' END, "
                + "CASE WHEN i = 1 THEN timestamptz '2026-08-01 00:00+08' ELSE " + expires + " END, "
                + "CASE WHEN i = 1 THEN timestamptz '2026-08-01 00:00+08' ELSE " + expires + " END, "
                + "'bench-seed' FROM generate_series(" + from + ", " + to + ") g, generate_series(1, " + perAccount
                + ") i");
    }

    /**
     * n rounds; in each, every configuration and path makes one deduction (round robin), so drift affects them
     * alike. Answers, per configuration label, per path: per-deduction figures in milliseconds.
     */
    private Map<String, Map<String, Object>> measure(List<Config> configs, int n) {
        Map<String, long[]> times = new LinkedHashMap<>();
        for (Config c : configs) {
            for (String p : c.db().paths.keySet()) {
                times.put(c.label() + "/" + p, new long[n]);
            }
        }
        for (int i = 0; i < n; i++) {
            for (Config c : configs) {
                for (Map.Entry<String, Deduct> p : c.db().paths.entrySet()) {
                    Usage cmd = usage(c.label() + "-" + p.getKey(), c.accounts().get(i % c.accounts().size()));
                    long t0 = System.nanoTime();
                    p.getValue().apply(cmd);
                    times.get(c.label() + "/" + p.getKey())[i] = System.nanoTime() - t0;
                }
            }
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Config c : configs) {
            Map<String, Object> byPath = new LinkedHashMap<>();
            for (String p : c.db().paths.keySet()) {
                long[] x = times.get(c.label() + "/" + p);
                Arrays.sort(x);
                double sum = 0;
                for (long v : x) {
                    sum += v;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("deductions", n);
                m.put("meanMs", LoadGenerator.round(sum / n / 1e6, 3));
                m.put("p50Ms", LoadGenerator.percentileMs(x, 0.5));
                m.put("p90Ms", LoadGenerator.percentileMs(x, 0.9));
                m.put("p99Ms", LoadGenerator.percentileMs(x, 0.99));
                byPath.put(p, m);
            }
            out.put(c.label(), byPath);
        }
        return out;
    }

    private Usage usage(String label, String account) {
        return new Usage(label + "-" + (++seq), account, null, Product.CLI, Feature.QUEST_AGENT, "qwen3-coder",
                Outcome.SUCCEEDED, new BigDecimal("1.5"), AT);
    }

    private static long count(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> explain(HikariDataSource ds, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        return lines;
    }
}

package dev.creditspolicy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Databases;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.store.UsageDao.DecisionFilter;

/**
 * Issue 26: does a usage call's cost depend on what the account holds? In process, one thread, on PostgreSQL (the
 * schema {@code bench26} of the database given by {@code -Dcredits.bench.url}, dropped and made again): usage calls
 * (UsageService.record: lock, lots, rules, writes, commit) on accounts with 1 (plus 1,000 expired), 100 and 1,000
 * active lots, and on accounts with 10^2 and {@code -Dcredits.bench.history} (default 10^5) past decisions; beside
 * them the usage report (by day) and the first page of the per-call ledger on the history accounts. Writes
 * {@code bench/results/bounds.md}.
 */
public final class BoundsBench {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final int WARMUP = 50;
    private static final int MEASURE = Integer.getInteger("credits.bench.calls", 300);

    private BoundsBench() {
    }

    public static void main(String[] args) throws Exception {
        String url = System.getProperty("credits.bench.url", "jdbc:postgresql://127.0.0.1:5432/credits_i26");
        int history = Integer.getInteger("credits.bench.history", 100_000);
        try (HikariDataSource admin = pool(url)) {
            try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS bench26 CASCADE");
                s.execute("CREATE SCHEMA bench26");
            }
        }
        try (HikariDataSource ds = pool(url + (url.contains("?") ? "&" : "?") + "currentSchema=bench26")) {
            Databases.migrate(ds);
            Clock clock = Clock.systemUTC();
            CreditsServices s = CreditsServices.of(new Store(ds), PolicyEngine.load(Path.of("rules"), clock), clock,
                    new SimpleMeterRegistry());
            List<String> rows = new ArrayList<>();
            rows.add("| account | usage p50 ms | usage p99 ms |");
            rows.add("|---|---:|---:|");
            account(s, "lots-1");
            grants(s, "lots-1", 1000, "2026-07-03T00:00:00+08:00"); // expired by the calls' instants
            grants(s, "lots-1", 1, "2026-07-04T00:00:00+08:00", "2027-01-01T00:00:00+08:00");
            account(s, "lots-100");
            grants(s, "lots-100", 100, "2027-01-01T00:00:00+08:00");
            account(s, "lots-1000");
            grants(s, "lots-1000", 1000, "2027-01-01T00:00:00+08:00");
            account(s, "hist-small");
            grants(s, "hist-small", 20, "2027-01-01T00:00:00+08:00");
            pastDecisions(ds, "hist-small", 100);
            account(s, "hist-large");
            grants(s, "hist-large", 20, "2027-01-01T00:00:00+08:00");
            pastDecisions(ds, "hist-large", history);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("ANALYZE");
            }
            for (String a : List.of("lots-1", "lots-100", "lots-1000", "hist-small", "hist-large")) {
                usage(s, a, WARMUP);
            }
            for (String a : List.of("lots-1", "lots-100", "lots-1000", "hist-small", "hist-large")) {
                List<Double> ms = usage(s, a, MEASURE);
                rows.add("| " + label(a, history) + " | " + fmt(pct(ms, 50)) + " | " + fmt(pct(ms, 99)) + " |");
            }
            rows.add("");
            rows.add("| read (history accounts) | p50 ms | p99 ms |");
            rows.add("|---|---:|---:|");
            for (String a : List.of("hist-small", "hist-large")) {
                List<Double> report = time(20, () -> s.reports().usage(a, null, null, "day", ZoneId.of("+08:00")));
                List<Double> page = time(20, () -> s.reports().decisions(a, new DecisionFilter(null, null, null,
                        null), PageRequest.FIRST));
                rows.add("| usage report by day, " + label(a, history) + " | " + fmt(pct(report, 50)) + " | "
                        + fmt(pct(report, 99)) + " |");
                rows.add("| usage-decisions first page (100), " + label(a, history) + " | " + fmt(pct(page, 50))
                        + " | " + fmt(pct(page, 99)) + " |");
            }
            write(rows, url, history);
        }
    }

    private static String label(String account, int history) {
        return switch (account) {
            case "lots-1" -> "1 active lot (+1,000 expired)";
            case "lots-100" -> "100 active lots";
            case "lots-1000" -> "1,000 active lots";
            case "hist-small" -> "20 lots, 10^2 past decisions";
            default -> "20 lots, " + String.format("%,d", history) + " past decisions";
        };
    }

    private static HikariDataSource pool(String url) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setUsername(System.getProperty("credits.bench.pg.user", "postgres"));
        cfg.setPassword(System.getProperty("credits.bench.pg.password", ""));
        cfg.setMaximumPoolSize(4);
        return new HikariDataSource(cfg);
    }

    private static void account(CreditsServices s, String id) {
        s.accounts().create(Kinds.ACCOUNT.parse(null, JSON.readTree("{\"accountId\": \"" + id + "\", \"realm\": "
                + "\"QODER_CN\", \"plan\": \"PERSONAL_PRO\", \"at\": \"2026-07-01T00:00:00+08:00\"}")));
    }

    private static void grants(CreditsServices s, String id, int n, String expiresAt) {
        grants(s, id, n, "2026-07-02T00:00:00+08:00", expiresAt);
    }

    private static void grants(CreditsServices s, String id, int n, String effectiveAt, String expiresAt) {
        for (int i = 0; i < n; i++) {
            s.accounts().grantAddon(Kinds.GRANT.parse(id, JSON.readTree("{\"lotId\": \"" + id + "-" + expiresAt
                    .substring(0, 4) + "-" + i + "\", \"source\": \"PURCHASE\", \"amount\": 100000, \"effectiveAt\": "
                    + "\"" + effectiveAt + "\", \"expiresAt\": \"" + expiresAt + "\", \"reason\": \"bench\"}")));
        }
    }

    /**
     * Past decisions written straight to the table by PostgreSQL itself (uncharged calls of June), as years of
     * service would leave: 10^6 rows in seconds, where batched inserts from here took minutes.
     */
    private static void pastDecisions(HikariDataSource ds, String account, int n) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO "
                + "usage_decisions (request_id, account_id, realm, product, feature, model, outcome, credits, "
                + "occurred_at, plan, status, reason, charged, shortfall, balance_after, rules_version, fired_rules, "
                + "request_hash, recorded_at) SELECT ? || '-past-' || g, ?, 'QODER_CN', 'CLI', 'QUEST_AGENT', "
                + "'qwen3-coder', 'FAILED', 1, TIMESTAMPTZ '2026-06-01 00:00:00Z' + (g % 2500000) * INTERVAL "
                + "'1 second', 'PERSONAL_PRO', 'EXEMPT', 'FAILED_CALL', 0, 0, 0, 'past', 'past', 'past', "
                + "TIMESTAMPTZ '2026-06-01 00:00:00Z' + (g % 2500000) * INTERVAL '1 second' "
                + "FROM generate_series(0, ? - 1) g")) {
            ps.setString(1, account);
            ps.setString(2, account);
            ps.setInt(3, n);
            ps.executeUpdate();
        }
    }

    private static long seq;

    private static List<Double> usage(CreditsServices s, String account, int calls) {
        return time(calls, () -> s.usage().record(Kinds.USAGE.parse(null, JSON.readTree("{\"requestId\": \"r-"
                + (++seq) + "\", \"accountId\": \"" + account + "\", \"product\": \"CLI\", \"feature\": "
                + "\"QUEST_AGENT\", \"model\": \"qwen3-coder\", \"outcome\": \"SUCCEEDED\", \"credits\": 0.01, "
                + "\"occurredAt\": \"" + Instant.parse("2026-07-15T02:00:00Z").plusSeconds(seq) + "\"}"))));
    }

    private static List<Double> time(int n, Supplier<?> call) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            call.get();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        return ms;
    }

    private static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * p / 100.0) - 1));
    }

    private static String fmt(double ms) {
        return String.format("%.2f", ms);
    }

    private static void write(List<String> rows, String url, int history) throws IOException {
        Path out = Path.of("bench", "results", "bounds.md");
        Files.createDirectories(out.getParent());
        List<String> all = new ArrayList<>();
        all.add("# Bounds bench (issue 26), " + Instant.now());
        all.add("");
        all.add("In process, one thread, " + url.replaceAll("//[^/]*@", "//") + " (schema bench26); " + MEASURE
                + " usage calls per account after " + WARMUP + " warm-up calls each; history: " + history
                + " decisions. Shared machine: other builds running.");
        all.add("");
        all.addAll(rows);
        Files.write(out, all);
        all.forEach(System.out::println);
    }
}

package dev.creditspolicy.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;

/**
 * The end-to-end data set and request mix, deterministic from a seed.
 * <p>Accounts: 70% realm QODER, 30% QODER_CN; plans 45% PERSONAL_PRO, 35% PERSONAL_COMMUNITY, 12% ENTERPRISE_TEAMS,
 * 8% ENTERPRISE_VPC; 10% of personal accounts upgraded on 2026-07-10 (two plan periods). Lots: last cycle's plan lot
 * (June, expired for July calls, partly used), this cycle's plan lot (July), and for personal accounts 0-3 add-on
 * lots (purchases and promotions, expiries July to December, 30% naming an origin product).
 * <p>Calls: product IDE 35%, CLI 25%, JETBRAINS 15%, QODERWORK 15%, MOBILE 10% (so enterprise accounts meet
 * NOT_SHARED_WITH_PRODUCT); any feature; 5% failed; 0.01-30 credits; 95% in July (after the sharing date), 5% in
 * June before it (origin-product rule, last cycle's lot); the realm named in half the calls.
 */
final class Workload {
    static final ZoneOffset CN = ZoneOffset.ofHours(8);
    static final OffsetDateTime ACCOUNT_START = OffsetDateTime.parse("2026-05-01T00:00:00+08:00");
    static final OffsetDateTime PREV_CYCLE = OffsetDateTime.parse("2026-06-01T00:00:00+08:00");
    static final OffsetDateTime CYCLE = OffsetDateTime.parse("2026-07-01T00:00:00+08:00");
    static final OffsetDateTime CYCLE_END = OffsetDateTime.parse("2026-08-01T00:00:00+08:00");
    static final OffsetDateTime UPGRADE = OffsetDateTime.parse("2026-07-10T00:00:00+08:00");
    private static final String[] MODELS = {"qwen3-coder", "qwen3-max", "claude-sonnet-4", "gpt-5", "auto"};
    private static final Feature[] FEATURES = Feature.values();

    record LotSpec(String lotId, LotSource source, Plan plan, Product origin, BigDecimal amount, BigDecimal remaining,
                   OffsetDateTime effectiveAt, OffsetDateTime expiresAt) {
    }

    record AccountSpec(String id, Realm realm, List<Plan> plans, List<LotSpec> lots) {
    }

    final List<AccountSpec> accounts;

    Workload(String prefix, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<AccountSpec> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format("%s%06d", prefix, i);
            Realm realm = r.nextInt(100) < 70 ? Realm.QODER : Realm.QODER_CN;
            int p = r.nextInt(100);
            Plan plan = p < 45 ? Plan.PERSONAL_PRO : p < 80 ? Plan.PERSONAL_COMMUNITY
                    : p < 92 ? Plan.ENTERPRISE_TEAMS : Plan.ENTERPRISE_VPC;
            List<Plan> plans = plan == Plan.PERSONAL_COMMUNITY && r.nextInt(100) < 20
                    ? List.of(plan, Plan.PERSONAL_PRO) : List.of(plan);
            List<LotSpec> lots = new ArrayList<>();
            lots.add(new LotSpec(id + "-plan-1", LotSource.PLAN, plan, null, new BigDecimal(2000),
                    new BigDecimal(r.nextInt(1, 500)), PREV_CYCLE, CYCLE));
            lots.add(new LotSpec(id + "-plan-2", LotSource.PLAN, plan, null, new BigDecimal(1_000_000),
                    new BigDecimal(1_000_000), CYCLE, CYCLE_END));
            if (plan.tier() == dev.creditspolicy.policy.facts.Tier.PERSONAL) {
                int k = r.nextInt(100);
                int addons = k < 40 ? 0 : k < 70 ? 1 : k < 90 ? 2 : 3;
                for (int a = 1; a <= addons; a++) {
                    LotSource source = r.nextInt(100) < 70 ? LotSource.PURCHASE : LotSource.PROMOTION;
                    int amount = r.nextInt(5, 51) * 100;
                    Product origin = r.nextInt(100) < 30 ? Product.values()[r.nextInt(Product.values().length)] : null;
                    OffsetDateTime eff = PREV_CYCLE.plusDays(r.nextInt(0, 30));
                    OffsetDateTime exp = OffsetDateTime.parse("2026-07-15T00:00:00+08:00").plusDays(r.nextInt(0, 170));
                    lots.add(new LotSpec(id + "-" + source.name().toLowerCase() + "-" + a, source, null, origin,
                            new BigDecimal(amount), new BigDecimal(amount), eff, exp));
                }
            }
            list.add(new AccountSpec(id, realm, plans, lots));
        }
        this.accounts = List.copyOf(list);
    }

    private Workload(List<AccountSpec> accounts) {
        this.accounts = accounts;
    }

    /**
     * The same calls, all on one account (the first PERSONAL_PRO one, whose lots answer every product): the
     * hot-account run. Its data is the seeded data set's; only the bodies change.
     */
    Workload hot() {
        AccountSpec a = accounts.stream().filter(x -> x.plans().get(0) == Plan.PERSONAL_PRO).findFirst()
                .orElse(accounts.get(0));
        return new Workload(List.of(a));
    }

    int lotCount() {
        return accounts.stream().mapToInt(a -> a.lots().size()).sum();
    }

    /** Writes the data set with JDBC batches into a migrated schema (the same rows the HTTP calls would make). */
    void seed(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement acc = c.prepareStatement(
                "INSERT INTO accounts (account_id, realm, created_at, request_hash) VALUES (?, ?, ?, 'bench-seed')");
             PreparedStatement hist = c.prepareStatement(
                     "INSERT INTO plan_history (account_id, seq, plan, effective_at) VALUES (?, ?, ?, ?)");
             PreparedStatement lot = c.prepareStatement("INSERT INTO lots (lot_id, account_id, realm, source, plan, "
                     + "origin_product, reason, amount, remaining, effective_at, expires_at, initial_expires_at, "
                     + "request_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench-seed')");
             PreparedStatement log = c.prepareStatement("INSERT INTO credits_log (account_id, lot_id, credit_type, "
                     + "reason, amount, effective_at, initial_expires_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (AccountSpec a : accounts) {
                acc.setString(1, a.id());
                acc.setString(2, a.realm().name());
                acc.setObject(3, ACCOUNT_START);
                acc.addBatch();
                for (int s = 0; s < a.plans().size(); s++) {
                    hist.setString(1, a.id());
                    hist.setInt(2, s);
                    hist.setString(3, a.plans().get(s).name());
                    hist.setObject(4, s == 0 ? ACCOUNT_START : UPGRADE);
                    hist.addBatch();
                }
                for (LotSpec l : a.lots()) {
                    String reason = l.source() == LotSource.PLAN ? "subscription cycle " + l.plan() : "bench add-on";
                    lot.setString(1, l.lotId());
                    lot.setString(2, a.id());
                    lot.setString(3, a.realm().name());
                    lot.setString(4, l.source().name());
                    lot.setString(5, l.plan() == null ? null : l.plan().name());
                    lot.setString(6, l.origin() == null ? null : l.origin().name());
                    lot.setString(7, reason);
                    lot.setBigDecimal(8, l.amount());
                    lot.setBigDecimal(9, l.remaining());
                    lot.setObject(10, l.effectiveAt());
                    lot.setObject(11, l.expiresAt());
                    lot.setObject(12, l.expiresAt());
                    lot.addBatch();
                    log.setString(1, a.id());
                    log.setString(2, l.lotId());
                    log.setString(3, l.source().creditsLogType());
                    log.setString(4, reason);
                    log.setBigDecimal(5, l.amount());
                    log.setObject(6, l.effectiveAt());
                    log.setObject(7, l.expiresAt());
                    log.setObject(8, l.effectiveAt());
                    log.addBatch();
                }
                if (++n % 500 == 0) {
                    acc.executeBatch();
                    hist.executeBatch();
                    lot.executeBatch();
                    log.executeBatch();
                }
            }
            acc.executeBatch();
            hist.executeBatch();
            lot.executeBatch();
            log.executeBatch();
        }
        c.commit();
        seedHistory(c);
        seedHoldHistory(c);
        c.commit();
        c.setAutoCommit(true);
    }

    /** Past decisions per account: a production ledger is never empty, and its statistics should not say it is. */
    static final int HISTORY_PER_ACCOUNT = 10;

    /**
     * Earlier charged calls in June, already accounted for in the lots' remaining amounts (a history, not a change):
     * usage_decisions, allocations and account_events hold rows as they would after weeks of service. Without them
     * the tables start empty, and PostgreSQL's cached generic plans for the per-request look-ups can stay
     * sequential scans after the tables have grown (seen in this harness: 0.3 ms instead of 0.04 ms per look-up).
     */
    private void seedHistory(Connection c) throws SQLException {
        try (PreparedStatement dec = c.prepareStatement("INSERT INTO usage_decisions (request_id, account_id, realm, "
                + "product, feature, model, outcome, credits, occurred_at, plan, status, reason, charged, shortfall, "
                + "balance_after, rules_version, fired_rules, request_hash, recorded_at) VALUES (?, ?, ?, 'IDE', "
                + "'EDITOR_ASK', 'qwen3-coder', 'SUCCEEDED', 1, ?, ?, 'CHARGED', 'CHARGED', 1, 0, 0, 'bench-seed', '', "
                + "'bench-seed', ?)");
             PreparedStatement alloc = c.prepareStatement("INSERT INTO allocations (request_id, seq, lot_id, lot_type, "
                     + "amount) VALUES (?, 1, ?, 'PLAN', 1)");
             PreparedStatement event = c.prepareStatement("INSERT INTO account_events (account_id, kind, ref, "
                     + "recorded_at) VALUES (?, 'USAGE', ?, ?)")) {
            int n = 0;
            for (AccountSpec a : accounts) {
                for (int i = 0; i < HISTORY_PER_ACCOUNT; i++) {
                    String id = a.id() + "-history-" + i;
                    OffsetDateTime at = PREV_CYCLE.plusDays(1).plusHours(i);
                    dec.setString(1, id);
                    dec.setString(2, a.id());
                    dec.setString(3, a.realm().name());
                    dec.setObject(4, at);
                    dec.setString(5, a.plans().get(0).name());
                    dec.setObject(6, at);
                    dec.addBatch();
                    alloc.setString(1, id);
                    alloc.setString(2, a.lots().get(0).lotId());
                    alloc.addBatch();
                    event.setString(1, a.id());
                    event.setString(2, id);
                    event.setObject(3, at);
                    event.addBatch();
                }
                if (++n % 200 == 0) {
                    dec.executeBatch();
                    alloc.executeBatch();
                    event.executeBatch();
                }
            }
            dec.executeBatch();
            alloc.executeBatch();
            event.executeBatch();
        }
    }

    /** Released holds per account, for the same reason as the usage history: the holds tables are never empty. */
    static final int HOLD_HISTORY_PER_ACCOUNT = 2;

    /**
     * Earlier holds in June, released (so they take nothing from the lots): holds, hold_allocations and their
     * account_events. Without them the statistics say the holds tables are empty, and PostgreSQL plans the open-holds
     * look-up of every request with a sequential scan of hold_allocations, which the hold + commit runs then make
     * grow (seen in this harness: 14 pairs/s, 136 ms per look-up, against 0.1 ms with the history).
     */
    private void seedHoldHistory(Connection c) throws SQLException {
        try (PreparedStatement hold = c.prepareStatement("INSERT INTO holds (hold_id, account_id, realm, product, "
                + "feature, model, credits, occurred_at, ttl_seconds, expires_at, plan, status, reason, held, "
                + "shortfall, balance_after, rules_version, fired_rules, request_hash, recorded_at, state, "
                + "settled_at, released, settle_hash) VALUES (?, ?, ?, 'CLI', 'QUEST_AGENT', 'qwen3-coder', 1, ?, 900, "
                + "?, ?, 'HELD', 'HELD', 1, 0, 0, 'bench-seed', '', 'bench-seed', ?, 'RELEASED', ?, 1, 'bench-seed')");
             PreparedStatement alloc = c.prepareStatement("INSERT INTO hold_allocations (hold_id, seq, lot_id, "
                     + "lot_type, amount) VALUES (?, 1, ?, 'PLAN', 1)");
             PreparedStatement event = c.prepareStatement("INSERT INTO account_events (account_id, kind, ref, "
                     + "recorded_at) VALUES (?, ?, ?, ?)")) {
            int n = 0;
            for (AccountSpec a : accounts) {
                for (int i = 0; i < HOLD_HISTORY_PER_ACCOUNT; i++) {
                    String id = a.id() + "-hold-history-" + i;
                    OffsetDateTime at = PREV_CYCLE.plusDays(2).plusHours(i);
                    hold.setString(1, id);
                    hold.setString(2, a.id());
                    hold.setString(3, a.realm().name());
                    hold.setObject(4, at);
                    hold.setObject(5, at.plusSeconds(900));
                    hold.setString(6, a.plans().get(0).name());
                    hold.setObject(7, at);
                    hold.setObject(8, at.plusSeconds(60));
                    hold.addBatch();
                    alloc.setString(1, id);
                    alloc.setString(2, a.lots().get(0).lotId());
                    alloc.addBatch();
                    for (String kind : new String[] {"HOLD", "HOLD_RELEASE"}) {
                        event.setString(1, a.id());
                        event.setString(2, kind);
                        event.setString(3, id);
                        event.setObject(4, at);
                        event.addBatch();
                    }
                }
                if (++n % 200 == 0) {
                    hold.executeBatch();
                    alloc.executeBatch();
                    event.executeBatch();
                }
            }
            hold.executeBatch();
            alloc.executeBatch();
            event.executeBatch();
        }
    }

    /** One usage request body for a random account. */
    String body(SplittableRandom r, String requestId) {
        AccountSpec a = accounts.get(r.nextInt(accounts.size()));
        int p = r.nextInt(100);
        Product product = p < 35 ? Product.IDE : p < 60 ? Product.CLI : p < 75 ? Product.JETBRAINS
                : p < 90 ? Product.QODERWORK : Product.MOBILE;
        boolean failed = r.nextInt(100) < 5;
        int cents = r.nextInt(1, 3001);
        OffsetDateTime at = r.nextInt(100) < 95
                ? CYCLE.plusDays(1).plusSeconds(r.nextLong(26L * 86_400))
                : PREV_CYCLE.plusDays(4).plusSeconds(r.nextLong(14L * 86_400));
        StringBuilder b = new StringBuilder(300);
        b.append("{\"requestId\":\"").append(requestId)
                .append("\",\"accountId\":\"").append(a.id()).append('"');
        if (r.nextBoolean()) {
            b.append(",\"realm\":\"").append(a.realm().name()).append('"');
        }
        b.append(",\"product\":\"").append(product.name())
                .append("\",\"feature\":\"").append(FEATURES[r.nextInt(FEATURES.length)].name())
                .append("\",\"model\":\"").append(MODELS[r.nextInt(MODELS.length)])
                .append("\",\"outcome\":\"").append(failed ? "FAILED" : "SUCCEEDED")
                .append("\",\"credits\":").append(BigDecimal.valueOf(cents, 2).toPlainString())
                .append(",\"occurredAt\":\"").append(at.withNano(0)).append("\"}");
        return b.toString();
    }

    /**
     * A hold and its commit, for the same kind of call as {@link #body}: the hold reserves the credits the usage
     * body would charge; the commit, a minute later, reports the call's outcome and an actual cost between half and
     * 1.2 times the hold (so some commits draw an excess).
     */
    String[] holdAndCommit(SplittableRandom r, String holdId) {
        String usage = body(r, holdId);
        String outcome = usage.contains("\"outcome\":\"FAILED\"") ? "FAILED" : "SUCCEEDED";
        BigDecimal credits = new BigDecimal(field(usage, "\"credits\":", ","));
        OffsetDateTime at = OffsetDateTime.parse(field(usage, "\"occurredAt\":\"", "\""));
        String hold = usage.replace("\"requestId\":", "\"holdId\":")
                .replace(",\"outcome\":\"" + outcome + "\"", "")
                .replace("}", ",\"ttlSeconds\":900}");
        BigDecimal actual = credits.multiply(BigDecimal.valueOf(r.nextInt(50, 121), 2)).setScale(2,
                java.math.RoundingMode.HALF_UP).max(new BigDecimal("0.01"));
        String commit = "{\"outcome\":\"" + outcome + "\",\"credits\":" + actual.toPlainString()
                + ",\"occurredAt\":\"" + at.plusMinutes(1) + "\"}";
        return new String[] {hold, commit};
    }

    private static String field(String json, String after, String until) {
        int from = json.indexOf(after) + after.length();
        return json.substring(from, json.indexOf(until, from));
    }

    static Instant instant(String iso) {
        return OffsetDateTime.parse(iso).toInstant();
    }
}

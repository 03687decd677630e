package dev.creditspolicy.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import javax.sql.DataSource;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.Sha256;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.policy.facts.Tier;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.Views.Answer;

/**
 * Benchmark baseline (a): the same deduction as {@code UsageService.record}, written by hand in plain Java and
 * JDBC with no rules engine and no JDBI. The policy of rules/ is hard-coded here (exemption, the tier x product
 * matrix with the sharing date, origin products, soonest-expiry / plan-first / effectiveAt / lotId order), so it
 * produces the same decisions and the same rows (usage_decisions, allocations, lot updates, account_events) on the
 * same schema. It exists only in the bench build: never a production path.
 */
public final class BaselineDeduction {
    static final Instant CREDITS_MODEL_START = OffsetDateTime.parse("2026-05-20T12:00+08:00").toInstant();
    static final Instant SHARING_DATE = OffsetDateTime.parse("2026-06-20T00:00+08:00").toInstant();
    public static final String VERSION = "baseline-no-rules";
    private static final int MAX_ATTEMPTS = 5;

    private final DataSource dataSource;
    private final Clock clock;

    public BaselineDeduction(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Records a usage request: lock the account, decide, write; a retry with the same body answers again. */
    public Answer<UsageDecision> record(Usage cmd) {
        return withRetries(cmd, true);
    }

    /** The decision the request would get now; nothing is stored (used to check the baseline agrees). */
    public UsageDecision evaluate(Usage cmd) {
        return withRetries(cmd, false).body();
    }

    private Answer<UsageDecision> withRetries(Usage cmd, boolean store) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                // READ COMMITTED is the connections' own level (both databases' default and the pool's setting),
                // as in the service's Store: setting it again would cost a round trip with the PostgreSQL driver
                c.setAutoCommit(false);
                try {
                    Answer<UsageDecision> answer = inTransaction(c, cmd, store);
                    if (store) {
                        c.commit();
                    } else {
                        c.rollback();
                    }
                    return answer;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                String state = e.getSQLState();
                boolean transientFailure = state != null && (state.equals("40001") || state.equals("40P01")
                        || state.equals("23505") || state.equals("HYT00"));
                if (attempt >= MAX_ATTEMPTS || !transientFailure) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private record LotRow(String lotId, LotType type, Realm realm, Product originProduct, Instant effectiveAt,
                          Instant expiresAt, BigDecimal remaining) {
    }

    private Answer<UsageDecision> inTransaction(Connection c, Usage cmd, boolean store) throws SQLException {
        Realm realm;
        try (PreparedStatement ps = c.prepareStatement("SELECT realm FROM accounts WHERE account_id = ?"
                + (store ? " FOR UPDATE" : ""))) {
            ps.setString(1, cmd.accountId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw Problem.unknownAccount(cmd.accountId());
                }
                realm = Realm.valueOf(rs.getString(1));
            }
        }
        // as the service: a body without the realm means the account's realm, so both forms are one request
        String hash = hash(cmd.realm() != null ? cmd : new Usage(cmd.requestId(), cmd.accountId(), realm, cmd.product(),
                cmd.feature(), cmd.model(), cmd.outcome(), cmd.credits(), cmd.occurredAt()));
        if (store) {
            UsageDecision existing = stored(c, cmd.requestId(), hash);
            if (existing != null) {
                return new Answer<>(existing, true);
            }
        }
        if (cmd.realm() != null && cmd.realm() != realm) {
            throw new Problem(Problem.REALM_MISMATCH, "Realm mismatch", "account '" + cmd.accountId()
                    + "' belongs to realm " + realm + ", the call names " + cmd.realm()
                    + "; credits of different realms are never interchangeable", "realm", null);
        }
        Instant t = cmd.occurredAt();
        Plan plan = null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT plan, effective_at FROM plan_history WHERE account_id = ? ORDER BY seq")) {
            ps.setString(1, cmd.accountId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Plan p = Plan.valueOf(rs.getString(1));
                    if (plan == null || !instant(rs, 2).isAfter(t)) {
                        plan = p;
                    }
                }
            }
        }
        List<LotRow> lots = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT lot_id, source, realm, origin_product, effective_at, "
                + "expires_at, remaining FROM lots WHERE account_id = ? AND expires_at > ? AND remaining > 0 "
                + "ORDER BY lot_id")) {
            ps.setString(1, cmd.accountId());
            ps.setObject(2, t.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String origin = rs.getString(4);
                    lots.add(new LotRow(rs.getString(1), rs.getString(2).equals("PLAN") ? LotType.PLAN : LotType.ADDON,
                            Realm.valueOf(rs.getString(3)), origin == null ? null : Product.valueOf(origin),
                            instant(rs, 5), instant(rs, 6), rs.getBigDecimal(7)));
                }
            }
        }

        // --- the policy, by hand ---
        Reason exemption = cmd.outcome() == Outcome.FAILED ? Reason.FAILED_CALL
                : t.isBefore(CREDITS_MODEL_START) ? Reason.BEFORE_CREDITS_MODEL : null;
        boolean shared = plan.tier() == Tier.PERSONAL
                || cmd.product() == Product.QODERWORK || cmd.product() == Product.CLI;
        List<LotRow> eligible = new ArrayList<>();
        boolean anyActive = false;
        for (LotRow lot : lots) {
            boolean active = !lot.effectiveAt().isAfter(t) && t.isBefore(lot.expiresAt()) && lot.remaining().signum() > 0;
            if (!active || lot.realm() != realm) {
                continue;
            }
            anyActive = true;
            boolean serves = lot.originProduct() == null || !t.isBefore(SHARING_DATE)
                    ? shared : lot.originProduct() == cmd.product();
            if (serves) {
                eligible.add(lot);
            }
        }
        eligible.sort(Comparator.comparing(LotRow::expiresAt)
                .thenComparing(l -> l.type() == LotType.PLAN ? 0 : 1)
                .thenComparing(LotRow::effectiveAt)
                .thenComparing(LotRow::lotId));
        BigDecimal cost = Money.of(cmd.credits());
        BigDecimal available = Money.ZERO;
        for (LotRow lot : eligible) {
            available = available.add(lot.remaining());
        }
        UsageDecision decision;
        if (exemption != null) {
            decision = decision(cmd, Status.EXEMPT, exemption, Money.ZERO, Money.ZERO, List.of(), available);
        } else if (available.compareTo(cost) < 0) {
            Reason reason = anyActive && eligible.isEmpty() ? Reason.NOT_SHARED_WITH_PRODUCT
                    : Reason.INSUFFICIENT_BALANCE;
            decision = decision(cmd, Status.INSUFFICIENT, reason, Money.ZERO, cost.subtract(available), List.of(),
                    available);
        } else {
            List<Allocation> allocations = new ArrayList<>();
            BigDecimal left = cost;
            for (LotRow lot : eligible) {
                if (left.signum() == 0) {
                    break;
                }
                BigDecimal take = lot.remaining().min(left);
                allocations.add(new Allocation(lot.lotId(), lot.type(), Money.of(take)));
                left = left.subtract(take);
            }
            decision = decision(cmd, Status.CHARGED, Reason.CHARGED, cost, Money.ZERO, allocations,
                    available.subtract(cost));
        }
        if (store) {
            write(c, cmd, realm, plan, decision, hash);
        }
        return new Answer<>(decision, false);
    }

    private void write(Connection c, Usage cmd, Realm realm, Plan plan, UsageDecision d, String hash)
            throws SQLException {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_decisions (request_id, account_id, realm, "
                + "product, feature, model, outcome, credits, occurred_at, plan, status, reason, charged, shortfall, "
                + "balance_after, rules_version, fired_rules, request_hash, recorded_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, cmd.requestId());
            ps.setString(2, cmd.accountId());
            ps.setString(3, realm.name());
            ps.setString(4, cmd.product().name());
            ps.setString(5, cmd.feature().name());
            ps.setString(6, cmd.model());
            ps.setString(7, cmd.outcome().name());
            ps.setBigDecimal(8, cmd.credits());
            ps.setObject(9, cmd.occurredAt().atOffset(ZoneOffset.UTC));
            ps.setString(10, plan.name());
            ps.setString(11, d.status().name());
            ps.setString(12, d.reason().name());
            ps.setBigDecimal(13, d.charged());
            ps.setBigDecimal(14, d.shortfall());
            ps.setBigDecimal(15, d.balanceAfter());
            ps.setString(16, VERSION);
            ps.setString(17, "");
            ps.setString(18, hash);
            ps.setObject(19, now);
            ps.executeUpdate();
        }
        if (!d.allocations().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE lots SET remaining = remaining - ? WHERE lot_id = ? AND remaining >= ?")) {
                for (Allocation a : d.allocations()) {
                    ps.setBigDecimal(1, a.amount());
                    ps.setString(2, a.lotId());
                    ps.setBigDecimal(3, a.amount());
                    if (ps.executeUpdate() != 1) {
                        throw new IllegalStateException("lot " + a.lotId() + " holds less than " + a.amount());
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO allocations (request_id, seq, lot_id, lot_type, amount) VALUES (?, ?, ?, ?, ?)")) {
                int seq = 0;
                for (Allocation a : d.allocations()) {
                    ps.setString(1, cmd.requestId());
                    ps.setInt(2, ++seq);
                    ps.setString(3, a.lotId());
                    ps.setString(4, a.type().name());
                    ps.setBigDecimal(5, a.amount());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO account_events (account_id, kind, ref, recorded_at) VALUES (?, 'USAGE', ?, ?)")) {
            ps.setString(1, cmd.accountId());
            ps.setString(2, cmd.requestId());
            ps.setObject(3, now);
            ps.executeUpdate();
        }
    }

    private static UsageDecision stored(Connection c, String requestId, String hash) throws SQLException {
        UsageDecision found = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT request_hash, status, reason, charged, shortfall, "
                + "balance_after, rules_version FROM usage_decisions WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                if (!rs.getString(1).equals(hash)) {
                    throw Problem.conflict("requestId", "request '" + requestId
                            + "' was already decided for another body");
                }
                found = new UsageDecision(requestId, Status.valueOf(rs.getString(2)), Reason.valueOf(rs.getString(3)),
                        rs.getBigDecimal(4), rs.getBigDecimal(5), List.of(), rs.getBigDecimal(6), rs.getString(7),
                        List.of());
            }
        }
        List<Allocation> allocations = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT lot_id, lot_type, amount FROM allocations WHERE request_id = ? ORDER BY seq")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    allocations.add(new Allocation(rs.getString(1), LotType.valueOf(rs.getString(2)),
                            rs.getBigDecimal(3)));
                }
            }
        }
        return new UsageDecision(requestId, found.status(), found.reason(), found.charged(), found.shortfall(),
                List.copyOf(allocations), found.balanceAfter(), found.rulesVersion(), List.of());
    }

    private static UsageDecision decision(Usage cmd, Status status, Reason reason, BigDecimal charged,
                                          BigDecimal shortfall, List<Allocation> allocations, BigDecimal balanceAfter) {
        return new UsageDecision(cmd.requestId(), status, reason, charged, shortfall, List.copyOf(allocations),
                Money.of(balanceAfter), VERSION, List.of());
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** The same fingerprint as the service's (SHA-256 of the command's canonical form), so retries compare alike. */
    static String hash(Usage cmd) {
        return Sha256.hex(cmd.toString());
    }
}

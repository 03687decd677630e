package dev.creditspolicy.store;

import static dev.creditspolicy.store.Columns.decimal;
import static dev.creditspolicy.store.Columns.enumOf;
import static dev.creditspolicy.store.Columns.instant;
import static dev.creditspolicy.store.Columns.longOrNull;
import static dev.creditspolicy.store.Columns.text;
import static dev.creditspolicy.store.Columns.timestamp;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.store.Rows.CreditsLogRow;
import dev.creditspolicy.store.Rows.LotRow;

/** Lots (what an account can spend) and the credits log (what it acquired), within one transaction's handle. */
public final class LotDao {
    private static final RowMapper<LotRow> LOT = (rs, ctx) -> new LotRow(rs.getString("lot_id"),
            rs.getString("account_id"), enumOf(Realm.class, rs, "realm"), enumOf(LotSource.class, rs, "source"),
            enumOf(Plan.class, rs, "plan"), enumOf(Product.class, rs, "origin_product"), rs.getString("reason"),
            rs.getBigDecimal("amount"), rs.getBigDecimal("remaining"), instant(rs, "effective_at"),
            instant(rs, "expires_at"), instant(rs, "initial_expires_at"), rs.getString("request_hash"));
    private static final RowMapper<CreditsLogRow> LOG_ENTRY = (rs, ctx) -> new CreditsLogRow(
            longOrNull(rs, "entry_id"), rs.getString("account_id"), rs.getString("lot_id"),
            rs.getString("credit_type"), rs.getString("reason"), rs.getBigDecimal("amount"),
            instant(rs, "effective_at"), instant(rs, "initial_expires_at"), instant(rs, "recorded_at"));

    private static final Keyset LOTS_PAGE = new Keyset("effective_at", "lot_id", false);
    private static final Keyset LOG_PAGE = new Keyset("effective_at", "entry_id", true);

    private final Handle handle;

    LotDao(Handle handle) {
        this.handle = handle;
    }

    public void insert(LotRow row) {
        handle.createUpdate("INSERT INTO lots (lot_id, account_id, realm, source, plan, origin_product, reason, "
                        + "amount, remaining, effective_at, expires_at, initial_expires_at, request_hash) VALUES "
                        + "(:lotId, :accountId, :realm, :source, :plan, :originProduct, :reason, :amount, :remaining, "
                        + ":effectiveAt, :expiresAt, :initialExpiresAt, :requestHash)")
                .bind("lotId", text(row.lotId()))
                .bind("accountId", text(row.accountId()))
                .bind("realm", text(row.realm()))
                .bind("source", text(row.source()))
                .bind("plan", text(row.plan()))
                .bind("originProduct", text(row.originProduct()))
                .bind("reason", text(row.reason()))
                .bind("amount", decimal(row.amount()))
                .bind("remaining", decimal(row.remaining()))
                .bind("effectiveAt", timestamp(row.effectiveAt()))
                .bind("expiresAt", timestamp(row.expiresAt()))
                .bind("initialExpiresAt", timestamp(row.initialExpiresAt()))
                .bind("requestHash", text(row.requestHash()))
                .execute();
    }

    public Optional<LotRow> find(String lotId) {
        return handle.createQuery("SELECT * FROM lots WHERE lot_id = :lotId")
                .bind("lotId", text(lotId)).map(LOT).findOne();
    }

    public List<LotRow> ofAccount(String accountId) {
        return handle.createQuery("SELECT * FROM lots WHERE account_id = :accountId ORDER BY lot_id")
                .bind("accountId", text(accountId)).map(LOT).list();
    }

    /**
     * The lots that can pay at {@code t}: started, not yet expired, not empty ({@link LotRow#payableAt}). This only
     * prunes what cannot be active by definition (fewer facts for the rules); which of them a call may use, and in
     * which order, the rules decide.
     */
    public List<LotRow> activeAt(String accountId, Instant t) {
        return payableBetween(List.of(accountId), t, t).stream().filter(l -> l.payableAt(t)).toList();
    }

    /**
     * The lots of these accounts not expired at {@code from}, started by {@code to} and not empty, by account and lot
     * id: every lot that can pay at an instant in [from, to] (a usage batch reads them once for all its calls, whose
     * instants lie there, and keeps each call to {@link LotRow#payableAt} its own instant). Neither expired nor
     * future lots are read: the work depends on the lots active then, at most credits.limits.active-lots each.
     */
    public List<LotRow> payableBetween(Collection<String> accountIds, Instant from, Instant to) {
        return handle.createQuery("SELECT * FROM lots WHERE account_id IN (<ids>) AND expires_at > :from "
                        + "AND effective_at <= :to AND remaining > 0 ORDER BY account_id, lot_id")
                .bindList("ids", List.copyOf(accountIds)).bind("from", timestamp(from)).bind("to", timestamp(to))
                .map(LOT).list();
    }

    /**
     * The plan lots in force at {@code t} (started, not expired, empty or not): the cycle then, one lot unless cycles
     * overlap. Read by the subscription, which must not read the account's whole history of lots.
     */
    public List<LotRow> planLotsAt(String accountId, Instant t) {
        return handle.createQuery("SELECT * FROM lots WHERE account_id = :accountId AND source = 'PLAN' "
                        + "AND effective_at <= :t AND expires_at > :t ORDER BY lot_id")
                .bind("accountId", text(accountId)).bind("t", timestamp(t)).map(LOT).list();
    }

    /** How many lots with credits left, and how many credits, an account holds valid at some instant of [from, to). */
    public record Overlap(long lots, BigDecimal remaining) {
    }

    public Overlap overlapping(String accountId, Instant from, Instant to) {
        return handle.createQuery("SELECT COUNT(*) AS n, COALESCE(SUM(remaining), 0) AS total FROM lots "
                        + "WHERE account_id = :accountId AND expires_at > :from AND effective_at < :to "
                        + "AND remaining > 0")
                .bind("accountId", text(accountId)).bind("from", timestamp(from)).bind("to", timestamp(to))
                .map((rs, ctx) -> new Overlap(rs.getLong("n"), rs.getBigDecimal("total"))).one();
    }

    /** How many lots the account was ever granted (generated lot ids count them). */
    public long count(String accountId) {
        return handle.createQuery("SELECT COUNT(*) FROM lots WHERE account_id = :accountId")
                .bind("accountId", text(accountId)).mapTo(Long.class).one();
    }

    /**
     * Guarded decrements of several lots in one round trip, in the map's order; each count is 1, or 0 where the lot
     * holds less than its amount (the caller rolls back rather than let a lot go negative).
     */
    public int[] deductAll(Map<String, BigDecimal> amounts) {
        if (amounts.isEmpty()) {
            return new int[0];
        }
        PreparedBatch batch = handle.prepareBatch("UPDATE lots SET remaining = remaining - :amount "
                + "WHERE lot_id = :lotId AND remaining >= :amount");
        amounts.forEach((lotId, amount) -> batch.bind("lotId", text(lotId)).bind("amount", decimal(amount)).add());
        return batch.execute();
    }

    public int shortenExpiry(String lotId, Instant expiresAt) {
        return handle.createUpdate("UPDATE lots SET expires_at = :expiresAt "
                        + "WHERE lot_id = :lotId AND expires_at > :expiresAt")
                .bind("lotId", text(lotId)).bind("expiresAt", timestamp(expiresAt)).execute();
    }

    public long insertLog(CreditsLogRow row) {
        return handle.createUpdate("INSERT INTO credits_log (account_id, lot_id, credit_type, reason, amount, "
                        + "effective_at, initial_expires_at, recorded_at) VALUES (:accountId, :lotId, :creditType, "
                        + ":reason, :amount, :effectiveAt, :initialExpiresAt, :recordedAt)")
                .bind("accountId", text(row.accountId()))
                .bind("lotId", text(row.lotId()))
                .bind("creditType", text(row.creditType()))
                .bind("reason", text(row.reason()))
                .bind("amount", decimal(row.amount()))
                .bind("effectiveAt", timestamp(row.effectiveAt()))
                .bind("initialExpiresAt", timestamp(row.initialExpiresAt()))
                .bind("recordedAt", timestamp(row.recordedAt()))
                .executeAndReturnGeneratedKeys("entry_id").mapTo(Long.class).one();
    }

    /** A page of the account's acquisitions, newest effective date first. */
    public List<CreditsLogRow> creditsLog(String accountId, PageRequest page) {
        return LOG_PAGE.bind(handle.createQuery("SELECT * FROM credits_log WHERE account_id = :accountId"
                        + LOG_PAGE.sql(page)), page)
                .bind("accountId", text(accountId)).map(LOG_ENTRY).list();
    }

    /** A page of the account's lots, newest effective date first. */
    public List<LotRow> page(String accountId, PageRequest page) {
        return LOTS_PAGE.bind(handle.createQuery("SELECT * FROM lots WHERE account_id = :accountId"
                        + LOTS_PAGE.sql(page)), page)
                .bind("accountId", text(accountId)).map(LOT).list();
    }
}

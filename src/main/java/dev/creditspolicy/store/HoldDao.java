package dev.creditspolicy.store;

import static dev.creditspolicy.store.Columns.decimal;
import static dev.creditspolicy.store.Columns.enumOf;
import static dev.creditspolicy.store.Columns.instant;
import static dev.creditspolicy.store.Columns.integer;
import static dev.creditspolicy.store.Columns.text;
import static dev.creditspolicy.store.Columns.timestamp;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.store.Rows.ExpiredHold;
import dev.creditspolicy.store.Rows.HoldAllocationRow;
import dev.creditspolicy.store.Rows.HoldRow;

/** Holds and the amounts they reserve per lot, within one transaction's handle. No policy here. */
public final class HoldDao {
    private static final RowMapper<HoldRow> HOLD = (rs, ctx) -> new HoldRow(rs.getString("hold_id"),
            rs.getString("account_id"), enumOf(Realm.class, rs, "realm"), enumOf(Product.class, rs, "product"),
            enumOf(Feature.class, rs, "feature"), rs.getString("model"), rs.getBigDecimal("credits"),
            instant(rs, "occurred_at"), rs.getInt("ttl_seconds"), instant(rs, "expires_at"),
            enumOf(Plan.class, rs, "plan"), rs.getString("status"), enumOf(Reason.class, rs, "reason"),
            rs.getBigDecimal("held"), rs.getBigDecimal("shortfall"), rs.getBigDecimal("balance_after"),
            rs.getString("rules_version"), rs.getString("fired_rules"), rs.getString("request_hash"),
            instant(rs, "recorded_at"), rs.getString("state"), instant(rs, "settled_at"),
            rs.getBigDecimal("released"), rs.getString("settle_hash"));
    private static final RowMapper<HoldAllocationRow> ALLOCATION = (rs, ctx) -> new HoldAllocationRow(
            rs.getString("hold_id"), rs.getInt("seq"), rs.getString("lot_id"),
            enumOf(LotType.class, rs, "lot_type"), rs.getBigDecimal("amount"));

    private final Handle handle;

    HoldDao(Handle handle) {
        this.handle = handle;
    }

    public void insert(HoldRow r) {
        handle.createUpdate("INSERT INTO holds (hold_id, account_id, realm, product, feature, model, credits, "
                        + "occurred_at, ttl_seconds, expires_at, plan, status, reason, held, shortfall, balance_after, "
                        + "rules_version, fired_rules, request_hash, recorded_at, state) VALUES (:holdId, :accountId, "
                        + ":realm, :product, :feature, :model, :credits, :occurredAt, :ttl, :expiresAt, :plan, "
                        + ":status, :reason, :held, :shortfall, :balanceAfter, :rulesVersion, :firedRules, "
                        + ":requestHash, :recordedAt, :state)")
                .bind("holdId", text(r.holdId()))
                .bind("accountId", text(r.accountId()))
                .bind("realm", text(r.realm()))
                .bind("product", text(r.product()))
                .bind("feature", text(r.feature()))
                .bind("model", text(r.model()))
                .bind("credits", decimal(r.credits()))
                .bind("occurredAt", timestamp(r.occurredAt()))
                .bind("ttl", integer(r.ttlSeconds()))
                .bind("expiresAt", timestamp(r.expiresAt()))
                .bind("plan", text(r.plan()))
                .bind("status", text(r.status()))
                .bind("reason", text(r.reason()))
                .bind("held", decimal(r.held()))
                .bind("shortfall", decimal(r.shortfall()))
                .bind("balanceAfter", decimal(r.balanceAfter()))
                .bind("rulesVersion", text(r.rulesVersion()))
                .bind("firedRules", text(r.firedRules()))
                .bind("requestHash", text(r.requestHash()))
                .bind("recordedAt", timestamp(r.recordedAt()))
                .bind("state", text(r.state()))
                .execute();
    }

    public void insertAllocations(List<HoldAllocationRow> rows) {
        AllocationBatch.insert(handle, "hold_allocations", "hold_id", rows);
    }

    public Optional<HoldRow> find(String holdId) {
        return handle.createQuery("SELECT * FROM holds WHERE hold_id = :holdId")
                .bind("holdId", text(holdId)).map(HOLD).findOne();
    }

    public List<HoldAllocationRow> allocations(String holdId) {
        return handle.createQuery("SELECT * FROM hold_allocations WHERE hold_id = :holdId ORDER BY seq")
                .bind("holdId", text(holdId)).map(ALLOCATION).list();
    }

    /** Settles an open hold (COMMITTED or RELEASED); 0 when it was not open, and the caller rolls back. */
    public int settle(String holdId, String state, Instant settledAt, BigDecimal released, String settleHash) {
        return handle.createUpdate("UPDATE holds SET state = :state, settled_at = :settledAt, released = :released, "
                        + "settle_hash = :settleHash WHERE hold_id = :holdId AND state = 'OPEN'")
                .bind("holdId", text(holdId)).bind("state", text(state)).bind("settledAt", timestamp(settledAt))
                .bind("released", decimal(released)).bind("settleHash", text(settleHash)).execute();
    }

    /**
     * Marks the account's open holds whose expiry is at or before {@code t} as EXPIRED: a request dated {@code t}
     * may take their credits, so they can no longer be committed. Run under the account lock by every request that
     * draws (usage, hold, commit); what other requests see never depends on it (they filter by expires_at).
     */
    public List<ExpiredHold> expireUpTo(String accountId, Instant t) {
        return expire(accountId, t, null);
    }

    /**
     * Marks the account's open holds expired by {@code t} (recorded by {@code recordedBy}, when not null) and
     * answers them (events announce each). The caller holds the account's lock: what is read is what is marked.
     */
    private List<ExpiredHold> expire(String accountId, Instant t, Instant recordedBy) {
        String where = " WHERE account_id = :accountId AND state = 'OPEN' AND expires_at <= :t"
                + (recordedBy == null ? "" : " AND recorded_at <= :recordedBy");
        var query = handle.createQuery("SELECT hold_id, held, expires_at FROM holds" + where + " ORDER BY hold_id")
                .bind("accountId", text(accountId)).bind("t", timestamp(t));
        if (recordedBy != null) {
            query.bind("recordedBy", timestamp(recordedBy));
        }
        List<ExpiredHold> expired = query.map((rs, ctx) -> new ExpiredHold(rs.getString("hold_id"),
                rs.getBigDecimal("held"), instant(rs, "expires_at"))).list();
        if (!expired.isEmpty()) {
            var update = handle.createUpdate("UPDATE holds SET state = 'EXPIRED', settled_at = expires_at, "
                    + "released = held" + where).bind("accountId", text(accountId)).bind("t", timestamp(t));
            if (recordedBy != null) {
                update.bind("recordedBy", timestamp(recordedBy));
            }
            update.execute();
        }
        return expired;
    }

    /**
     * What the account's holds open at {@code t} reserve, per lot (open: state OPEN, expires_at after t), leaving
     * out the hold {@code except} (a commit's own; null for none).
     */
    public Map<String, BigDecimal> heldAt(String accountId, Instant t, String except) {
        Map<String, BigDecimal> held = new HashMap<>();
        handle.createQuery("SELECT a.lot_id, SUM(a.amount) AS held FROM hold_allocations a JOIN holds h "
                        + "ON h.hold_id = a.hold_id WHERE h.account_id = :accountId AND h.state = 'OPEN' "
                        + "AND h.expires_at > :t AND h.hold_id <> :except "
                        // what a void released from its instant on (corrections.drl) is no longer reserved
                        + "AND NOT " + CorrectionDao.releasedByVoid("a.lot_id") + " GROUP BY a.lot_id")
                .bind("accountId", text(accountId)).bind("t", timestamp(t))
                .bind("except", text(except == null ? "" : except))
                .map((rs, ctx) -> Map.entry(rs.getString("lot_id"), rs.getBigDecimal("held")))
                .forEach(e -> held.put(e.getKey(), e.getValue()));
        return held;
    }

    /**
     * Up to {@code limit} accounts with holds still OPEN in the table whose expiry is at or before {@code t} and that
     * were recorded at or before {@code recordedBy}.
     */
    public List<String> accountsWithOpenHoldsExpiredBy(Instant t, Instant recordedBy, int limit) {
        return handle.createQuery("SELECT DISTINCT account_id FROM holds WHERE state = 'OPEN' AND expires_at <= :t "
                        + "AND recorded_at <= :recordedBy ORDER BY account_id LIMIT :limit")
                .bind("t", timestamp(t)).bind("recordedBy", timestamp(recordedBy)).bind("limit", integer(limit))
                .mapTo(String.class).list();
    }

    /** The sweeper's marking: the account's OPEN holds expired at or before {@code t}, recorded by {@code recordedBy}. */
    public List<ExpiredHold> expireRecordedBy(String accountId, Instant t, Instant recordedBy) {
        return expire(accountId, t, recordedBy);
    }

    /** Which of these accounts have a hold still OPEN in the table, whatever its expiry. */
    public Set<String> accountsWithOpenHolds(Collection<String> accountIds) {
        return new HashSet<>(handle.createQuery("SELECT DISTINCT account_id FROM holds WHERE account_id IN (<ids>) "
                        + "AND state = 'OPEN'")
                .bindList("ids", List.copyOf(accountIds)).mapTo(String.class).list());
    }

    /** The accounts of these holds (those that exist). */
    public Set<String> accountsOf(Collection<String> holdIds) {
        return new HashSet<>(handle.createQuery("SELECT DISTINCT account_id FROM holds WHERE hold_id IN (<ids>)")
                .bindList("ids", List.copyOf(holdIds)).mapTo(String.class).list());
    }

    /** Which of these ids are holds' ids. */
    public Set<String> existing(Collection<String> holdIds) {
        return new HashSet<>(handle.createQuery("SELECT hold_id FROM holds WHERE hold_id IN (<ids>)")
                .bindList("ids", List.copyOf(holdIds)).mapTo(String.class).list());
    }

    /** How many of the account's holds are open at {@code t}. */
    public long openCount(String accountId, Instant t) {
        return handle.createQuery("SELECT COUNT(*) FROM holds WHERE account_id = :accountId AND state = 'OPEN' "
                        + "AND expires_at > :t")
                .bind("accountId", text(accountId)).bind("t", timestamp(t)).mapTo(Long.class).one();
    }

    /** Every open hold's allocation of the account, whatever its expiry (for the invariant checks). */
    public List<HoldAllocationRow> openAllocations(String accountId) {
        return handle.createQuery("SELECT a.* FROM hold_allocations a JOIN holds h ON h.hold_id = a.hold_id "
                        + "WHERE h.account_id = :accountId AND h.state = 'OPEN' ORDER BY a.hold_id, a.seq")
                .bind("accountId", text(accountId)).map(ALLOCATION).list();
    }
}

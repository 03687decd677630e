package dev.creditspolicy.store;

import static dev.creditspolicy.store.Columns.decimal;
import static dev.creditspolicy.store.Columns.enumOf;
import static dev.creditspolicy.store.Columns.instant;
import static dev.creditspolicy.store.Columns.integer;
import static dev.creditspolicy.store.Columns.longOrNull;
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

import dev.creditspolicy.policy.facts.HoldsOnVoid;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.store.Rows.AllocationRow;
import dev.creditspolicy.store.Rows.ReversalRow;
import dev.creditspolicy.store.Rows.VoidRow;

/** Voids of lots and reversals of charges (SPEC section 7), within one transaction's handle. */
public final class CorrectionDao {
    private static final RowMapper<VoidRow> VOID = (rs, ctx) -> new VoidRow(longOrNull(rs, "void_id"),
            rs.getString("account_id"), rs.getString("lot_id"), instant(rs, "voided_at"), rs.getString("reason"),
            rs.getBigDecimal("remaining"), rs.getBigDecimal("voided"), instant(rs, "old_expires_at"), instant(rs, "new_expires_at"),
            enumOf(HoldsOnVoid.class, rs, "holds_on_void"), rs.getBigDecimal("held_released"),
            rs.getString("rule_name"), rs.getString("rules_version"), rs.getString("fired_rules"),
            rs.getString("request_hash"), instant(rs, "recorded_at"));
    private static final RowMapper<ReversalRow> REVERSAL = (rs, ctx) -> new ReversalRow(rs.getString("request_id"),
            rs.getString("account_id"), instant(rs, "reversed_at"), rs.getString("reason"),
            rs.getBigDecimal("reversed"), rs.getBigDecimal("forfeited"), rs.getString("rules_version"),
            rs.getString("fired_rules"), rs.getString("request_hash"), instant(rs, "recorded_at"));
    private static final RowMapper<AllocationRow> ALLOCATION = (rs, ctx) -> new AllocationRow(
            rs.getString("request_id"), rs.getInt("seq"), rs.getString("lot_id"),
            enumOf(LotType.class, rs, "lot_type"), rs.getBigDecimal("amount"));

    private final Handle handle;

    CorrectionDao(Handle handle) {
        this.handle = handle;
    }

    public long insertVoid(VoidRow row) {
        return handle.createUpdate("INSERT INTO lot_voids (account_id, lot_id, voided_at, reason, remaining, "
                        + "voided, old_expires_at, new_expires_at, holds_on_void, held_released, rule_name, rules_version, "
                        + "fired_rules, request_hash, recorded_at) VALUES (:accountId, :lotId, :voidedAt, :reason, "
                        + ":remaining, :voided, :oldExpiresAt, :newExpiresAt, :holdsOnVoid, :heldReleased, :ruleName, "
                        + ":rulesVersion, :firedRules, :requestHash, :recordedAt)")
                .bind("accountId", text(row.accountId()))
                .bind("lotId", text(row.lotId()))
                .bind("voidedAt", timestamp(row.voidedAt()))
                .bind("reason", text(row.reason()))
                .bind("remaining", decimal(row.remaining()))
                .bind("voided", decimal(row.voided()))
                .bind("oldExpiresAt", timestamp(row.oldExpiresAt()))
                .bind("newExpiresAt", timestamp(row.newExpiresAt()))
                .bind("holdsOnVoid", text(row.holdsOnVoid()))
                .bind("heldReleased", decimal(row.heldReleased()))
                .bind("ruleName", text(row.ruleName()))
                .bind("rulesVersion", text(row.rulesVersion()))
                .bind("firedRules", text(row.firedRules()))
                .bind("requestHash", text(row.requestHash()))
                .bind("recordedAt", timestamp(row.recordedAt()))
                .executeAndReturnGeneratedKeys("void_id").mapTo(Long.class).one();
    }

    public Optional<VoidRow> findVoid(long voidId) {
        return handle.createQuery("SELECT * FROM lot_voids WHERE void_id = :voidId")
                .bind("voidId", integer(voidId)).map(VOID).findOne();
    }

    /** The void of this lot with this request hash (what an idempotent retry answers again). */
    public Optional<VoidRow> findVoid(String lotId, String requestHash) {
        return handle.createQuery("SELECT * FROM lot_voids WHERE lot_id = :lotId AND request_hash = :hash")
                .bind("lotId", text(lotId)).bind("hash", text(requestHash)).map(VOID).findOne();
    }

    /** Every void of the account's lots, newest instant first. */
    public List<VoidRow> voidsOfAccount(String accountId) {
        return handle.createQuery("SELECT * FROM lot_voids WHERE account_id = :accountId "
                        + "ORDER BY voided_at DESC, void_id DESC")
                .bind("accountId", text(accountId)).map(VOID).list();
    }

    /** The voids of these lots, newest instant first. */
    public List<VoidRow> voidsOfLots(Collection<String> lotIds) {
        if (lotIds.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("SELECT * FROM lot_voids WHERE lot_id IN (<ids>) "
                        + "ORDER BY voided_at DESC, void_id DESC")
                .bindList("ids", List.copyOf(lotIds)).map(VOID).list();
    }

    /**
     * The condition that a void released, by {@code :t}, what open holds reserve on the lot in {@code lotColumn}:
     * corrections.drl concluded RELEASE_FROM_VOID (a void that changed nothing releases nothing). One definition for
     * what holds reserve ({@link HoldDao#heldAt}) and what a commit still holds ({@link #lotsReleasedFromHolds}).
     */
    static String releasedByVoid(String lotColumn) {
        return "EXISTS (SELECT 1 FROM lot_voids v WHERE v.lot_id = " + lotColumn + " AND v.holds_on_void = '"
                + HoldsOnVoid.RELEASE_FROM_VOID.name() + "' AND v.new_expires_at IS NOT NULL AND v.voided_at <= :t)";
    }

    /** The lots of the account whose open holds' reservations a void released by {@code t}. */
    public Set<String> lotsReleasedFromHolds(String accountId, Instant t) {
        return new HashSet<>(handle.createQuery("SELECT l.lot_id FROM lots l WHERE l.account_id = :accountId AND "
                        + releasedByVoid("l.lot_id"))
                .bind("accountId", text(accountId)).bind("t", timestamp(t)).mapTo(String.class).list());
    }

    public void insertReversal(ReversalRow row, List<AllocationRow> allocations) {
        handle.createUpdate("INSERT INTO usage_reversals (request_id, account_id, reversed_at, reason, reversed, "
                        + "forfeited, rules_version, fired_rules, request_hash, recorded_at) VALUES (:requestId, "
                        + ":accountId, :reversedAt, :reason, :reversed, :forfeited, :rulesVersion, :firedRules, "
                        + ":requestHash, :recordedAt)")
                .bind("requestId", text(row.requestId()))
                .bind("accountId", text(row.accountId()))
                .bind("reversedAt", timestamp(row.reversedAt()))
                .bind("reason", text(row.reason()))
                .bind("reversed", decimal(row.reversed()))
                .bind("forfeited", decimal(row.forfeited()))
                .bind("rulesVersion", text(row.rulesVersion()))
                .bind("firedRules", text(row.firedRules()))
                .bind("requestHash", text(row.requestHash()))
                .bind("recordedAt", timestamp(row.recordedAt()))
                .execute();
        AllocationBatch.insert(handle, "reversal_allocations", "request_id", allocations);
    }

    public Optional<ReversalRow> findReversal(String requestId) {
        return handle.createQuery("SELECT * FROM usage_reversals WHERE request_id = :requestId")
                .bind("requestId", text(requestId)).map(REVERSAL).findOne();
    }

    public List<AllocationRow> reversalAllocations(String requestId) {
        return reversalAllocationsOf(List.of(requestId));
    }

    /** The reversals of these decisions (those reversed), by request id. */
    public Map<String, ReversalRow> reversalsOf(Collection<String> requestIds) {
        Map<String, ReversalRow> found = new HashMap<>();
        if (!requestIds.isEmpty()) {
            handle.createQuery("SELECT * FROM usage_reversals WHERE request_id IN (<ids>)")
                    .bindList("ids", List.copyOf(requestIds)).map(REVERSAL).forEach(r -> found.put(r.requestId(), r));
        }
        return found;
    }

    /** What went back to the lots for these reversals, by request id, then in order. */
    public List<AllocationRow> reversalAllocationsOf(Collection<String> requestIds) {
        if (requestIds.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("SELECT * FROM reversal_allocations WHERE request_id IN (<ids>) "
                        + "ORDER BY request_id, seq")
                .bindList("ids", List.copyOf(requestIds)).map(ALLOCATION).list();
    }

    /** The account's reversals of decisions whose occurredAt lies in [from, to) (for the usage report). */
    public Map<String, ReversalRow> reversalsOfDecisions(String accountId, Instant from, Instant to) {
        Map<String, ReversalRow> out = new HashMap<>();
        handle.createQuery("SELECT r.* FROM usage_reversals r JOIN usage_decisions d ON d.request_id = r.request_id "
                        + "WHERE r.account_id = :accountId AND d.occurred_at >= :from AND d.occurred_at < :to")
                .bind("accountId", text(accountId)).bind("from", timestamp(from)).bind("to", timestamp(to))
                .map(REVERSAL).forEach(r -> out.put(r.requestId(), r));
        return out;
    }

    /** Guarded increment: never past the lot's amount (the caller rolls back if it updates nothing). */
    public int restore(String lotId, BigDecimal amount) {
        return handle.createUpdate("UPDATE lots SET remaining = remaining + :amount "
                        + "WHERE lot_id = :lotId AND remaining + :amount <= amount")
                .bind("lotId", text(lotId)).bind("amount", decimal(amount)).execute();
    }
}

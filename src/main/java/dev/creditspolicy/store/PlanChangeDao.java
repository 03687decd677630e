package dev.creditspolicy.store;

import static dev.creditspolicy.store.Columns.enumOf;
import static dev.creditspolicy.store.Columns.instant;
import static dev.creditspolicy.store.Columns.integer;
import static dev.creditspolicy.store.Columns.longOrNull;
import static dev.creditspolicy.store.Columns.text;
import static dev.creditspolicy.store.Columns.timestamp;

import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.store.Rows.ExpiryChangeRow;
import dev.creditspolicy.store.Rows.PlanChangeRow;

/** Plan changes and the lot expiries each one shortened, within one transaction's handle. */
public final class PlanChangeDao {
    private static final RowMapper<PlanChangeRow> PLAN_CHANGE = (rs, ctx) -> new PlanChangeRow(
            longOrNull(rs, "change_id"), rs.getString("account_id"), enumOf(Plan.class, rs, "from_plan"),
            enumOf(Plan.class, rs, "to_plan"), enumOf(PlanChangeKind.class, rs, "kind"), instant(rs, "changed_at"),
            rs.getString("rules_version"), rs.getString("fired_rules"), rs.getString("request_hash"),
            instant(rs, "recorded_at"));
    private static final RowMapper<ExpiryChangeRow> EXPIRY_CHANGE = (rs, ctx) -> new ExpiryChangeRow(
            rs.getLong("change_id"), rs.getString("lot_id"), instant(rs, "old_expires_at"),
            instant(rs, "new_expires_at"), rs.getString("cause"), rs.getString("rule_name"));

    private final Handle handle;

    PlanChangeDao(Handle handle) {
        this.handle = handle;
    }

    public long insert(PlanChangeRow row) {
        return handle.createUpdate("INSERT INTO plan_changes (account_id, from_plan, to_plan, kind, changed_at, "
                        + "rules_version, fired_rules, request_hash, recorded_at) VALUES (:accountId, :fromPlan, "
                        + ":toPlan, :kind, :changedAt, :rulesVersion, :firedRules, :requestHash, :recordedAt)")
                .bind("accountId", text(row.accountId()))
                .bind("fromPlan", text(row.fromPlan()))
                .bind("toPlan", text(row.toPlan()))
                .bind("kind", text(row.kind()))
                .bind("changedAt", timestamp(row.changedAt()))
                .bind("rulesVersion", text(row.rulesVersion()))
                .bind("firedRules", text(row.firedRules()))
                .bind("requestHash", text(row.requestHash()))
                .bind("recordedAt", timestamp(row.recordedAt()))
                .executeAndReturnGeneratedKeys("change_id").mapTo(Long.class).one();
    }

    public void insertExpiryChanges(List<ExpiryChangeRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO expiry_changes (change_id, lot_id, old_expires_at, "
                + "new_expires_at, cause, rule_name) VALUES (:changeId, :lotId, :oldExpiresAt, :newExpiresAt, "
                + ":cause, :ruleName)");
        for (ExpiryChangeRow row : rows) {
            batch.bind("changeId", integer(row.changeId()))
                    .bind("lotId", text(row.lotId()))
                    .bind("oldExpiresAt", timestamp(row.oldExpiresAt()))
                    .bind("newExpiresAt", timestamp(row.newExpiresAt()))
                    .bind("cause", text(row.cause()))
                    .bind("ruleName", text(row.ruleName()))
                    .add();
        }
        batch.execute();
    }

    public List<PlanChangeRow> ofAccount(String accountId) {
        return handle.createQuery("SELECT * FROM plan_changes WHERE account_id = :accountId "
                        + "ORDER BY changed_at DESC, change_id DESC")
                .bind("accountId", text(accountId)).map(PLAN_CHANGE).list();
    }

    public Optional<PlanChangeRow> latest(String accountId) {
        return handle.createQuery("SELECT * FROM plan_changes WHERE account_id = :accountId "
                        + "ORDER BY change_id DESC LIMIT 1")
                .bind("accountId", text(accountId)).map(PLAN_CHANGE).findOne();
    }

    public List<ExpiryChangeRow> expiryChanges(long changeId) {
        return handle.createQuery("SELECT * FROM expiry_changes WHERE change_id = :changeId ORDER BY lot_id")
                .bind("changeId", integer(changeId)).map(EXPIRY_CHANGE).list();
    }
}

package dev.creditspolicy.store;

import java.util.List;
import java.util.Optional;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import dev.creditspolicy.store.Rows.ExpiryChangeRow;
import dev.creditspolicy.store.Rows.PlanChangeRow;

@RegisterConstructorMapper(PlanChangeRow.class)
@RegisterConstructorMapper(ExpiryChangeRow.class)
public interface PlanChangeDao {

    @SqlUpdate("INSERT INTO plan_changes (account_id, from_plan, to_plan, kind, changed_at, rules_version, "
            + "fired_rules, request_hash, recorded_at) VALUES (:accountId, :fromPlan, :toPlan, :kind, :changedAt, "
            + ":rulesVersion, :firedRules, :requestHash, :recordedAt)")
    @GetGeneratedKeys("change_id")
    long insert(@BindMethods PlanChangeRow row);

    @SqlBatch("INSERT INTO expiry_changes (change_id, lot_id, old_expires_at, new_expires_at, cause, rule_name) "
            + "VALUES (:changeId, :lotId, :oldExpiresAt, :newExpiresAt, :cause, :ruleName)")
    void insertExpiryChanges(@BindMethods List<ExpiryChangeRow> rows);

    @SqlQuery("SELECT * FROM plan_changes WHERE account_id = :accountId ORDER BY changed_at DESC, change_id DESC")
    List<PlanChangeRow> ofAccount(@Bind("accountId") String accountId);

    @SqlQuery("SELECT * FROM plan_changes WHERE account_id = :accountId ORDER BY change_id DESC LIMIT 1")
    Optional<PlanChangeRow> latest(@Bind("accountId") String accountId);

    @SqlQuery("SELECT * FROM expiry_changes WHERE change_id = :changeId ORDER BY lot_id")
    List<ExpiryChangeRow> expiryChanges(@Bind("changeId") long changeId);
}

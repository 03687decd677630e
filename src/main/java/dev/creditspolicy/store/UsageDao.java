package dev.creditspolicy.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import dev.creditspolicy.store.Rows.AllocationRow;
import dev.creditspolicy.store.Rows.DecisionRow;

@RegisterConstructorMapper(DecisionRow.class)
@RegisterConstructorMapper(AllocationRow.class)
public interface UsageDao {

    @SqlUpdate("INSERT INTO usage_decisions (request_id, account_id, realm, product, feature, model, outcome, credits, "
            + "occurred_at, plan, status, reason, charged, shortfall, balance_after, rules_version, fired_rules, "
            + "request_hash, recorded_at) VALUES (:requestId, :accountId, :realm, :product, :feature, :model, "
            + ":outcome, :credits, :occurredAt, :plan, :status, :reason, :charged, :shortfall, :balanceAfter, "
            + ":rulesVersion, :firedRules, :requestHash, :recordedAt)")
    void insert(@BindMethods DecisionRow row);

    @SqlBatch("INSERT INTO allocations (request_id, seq, lot_id, lot_type, amount) "
            + "VALUES (:requestId, :seq, :lotId, :lotType, :amount)")
    void insertAllocations(@BindMethods List<AllocationRow> rows);

    @SqlQuery("SELECT * FROM usage_decisions WHERE request_id = :requestId")
    Optional<DecisionRow> find(@Bind("requestId") String requestId);

    @SqlQuery("SELECT * FROM allocations WHERE request_id = :requestId ORDER BY seq")
    List<AllocationRow> allocations(@Bind("requestId") String requestId);

    @SqlQuery("SELECT * FROM usage_decisions WHERE account_id = :accountId AND occurred_at >= :from "
            + "AND occurred_at < :to ORDER BY occurred_at, request_id")
    List<DecisionRow> ofAccount(@Bind("accountId") String accountId, @Bind("from") Instant from,
                                @Bind("to") Instant to);
}

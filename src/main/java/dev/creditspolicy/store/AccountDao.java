package dev.creditspolicy.store;

import java.util.List;
import java.util.Optional;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.EventRow;
import dev.creditspolicy.store.Rows.PlanPeriodRow;

@RegisterConstructorMapper(AccountRow.class)
@RegisterConstructorMapper(PlanPeriodRow.class)
@RegisterConstructorMapper(EventRow.class)
public interface AccountDao {

    @SqlUpdate("INSERT INTO accounts (account_id, realm, created_at, request_hash) "
            + "VALUES (:accountId, :realm, :createdAt, :requestHash)")
    void insert(@BindMethods AccountRow row);

    @SqlQuery("SELECT * FROM accounts WHERE account_id = :accountId")
    Optional<AccountRow> find(@Bind("accountId") String accountId);

    /** Every write to an account's lots holds this row lock first: it serialises the account's deductions. */
    @SqlQuery("SELECT * FROM accounts WHERE account_id = :accountId FOR UPDATE")
    Optional<AccountRow> lock(@Bind("accountId") String accountId);

    @SqlQuery("SELECT account_id FROM accounts ORDER BY account_id")
    List<String> allIds();

    @SqlUpdate("INSERT INTO plan_history (account_id, seq, plan, effective_at) "
            + "VALUES (:accountId, :seq, :plan, :effectiveAt)")
    void insertPlanPeriod(@BindMethods PlanPeriodRow row);

    @SqlQuery("SELECT * FROM plan_history WHERE account_id = :accountId ORDER BY seq")
    List<PlanPeriodRow> planHistory(@Bind("accountId") String accountId);

    @SqlUpdate("INSERT INTO account_events (account_id, kind, ref, recorded_at) "
            + "VALUES (:accountId, :kind, :ref, :recordedAt)")
    void insertEvent(@BindMethods EventRow row);

    @SqlQuery("SELECT * FROM account_events WHERE account_id = :accountId ORDER BY event_id")
    List<EventRow> events(@Bind("accountId") String accountId);
}

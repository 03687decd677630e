package dev.creditspolicy.store;

import static dev.creditspolicy.store.Columns.enumOf;
import static dev.creditspolicy.store.Columns.instant;
import static dev.creditspolicy.store.Columns.integer;
import static dev.creditspolicy.store.Columns.longOrNull;
import static dev.creditspolicy.store.Columns.text;
import static dev.creditspolicy.store.Columns.timestamp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.EventKind;
import dev.creditspolicy.store.Rows.EventRow;
import dev.creditspolicy.store.Rows.PlanPeriodRow;

/** Accounts, their plan history and the order of their requests, within one transaction's handle. */
public final class AccountDao {
    private static final RowMapper<AccountRow> ACCOUNT = (rs, ctx) -> new AccountRow(rs.getString("account_id"),
            enumOf(Realm.class, rs, "realm"), instant(rs, "created_at"), rs.getString("request_hash"));
    private static final RowMapper<PlanPeriodRow> PLAN_PERIOD = (rs, ctx) -> new PlanPeriodRow(
            rs.getString("account_id"), rs.getInt("seq"), enumOf(Plan.class, rs, "plan"), instant(rs, "effective_at"));
    private static final RowMapper<EventRow> EVENT = (rs, ctx) -> new EventRow(longOrNull(rs, "event_id"),
            rs.getString("account_id"), enumOf(EventKind.class, rs, "kind"), rs.getString("ref"),
            instant(rs, "recorded_at"));

    private final Handle handle;

    AccountDao(Handle handle) {
        this.handle = handle;
    }

    public void insert(AccountRow row) {
        handle.createUpdate("INSERT INTO accounts (account_id, realm, created_at, request_hash) "
                        + "VALUES (:accountId, :realm, :createdAt, :requestHash)")
                .bind("accountId", text(row.accountId()))
                .bind("realm", text(row.realm()))
                .bind("createdAt", timestamp(row.createdAt()))
                .bind("requestHash", text(row.requestHash()))
                .execute();
    }

    public Optional<AccountRow> find(String accountId) {
        return handle.createQuery("SELECT * FROM accounts WHERE account_id = :accountId")
                .bind("accountId", text(accountId)).map(ACCOUNT).findOne();
    }

    /** Every write to an account's lots holds this row lock first: it serialises the account's deductions. */
    public Optional<AccountRow> lock(String accountId) {
        return handle.createQuery("SELECT * FROM accounts WHERE account_id = :accountId FOR UPDATE")
                .bind("accountId", text(accountId)).map(ACCOUNT).findOne();
    }

    /**
     * The row locks of several accounts in one statement (a usage batch), taken in account id order: two batches,
     * on one instance or several, lock their common accounts in the same order and so never deadlock.
     */
    public List<AccountRow> lockAll(Collection<String> accountIds) {
        return handle.createQuery("SELECT * FROM accounts WHERE account_id IN (<ids>) ORDER BY account_id FOR UPDATE")
                .bindList("ids", List.copyOf(accountIds)).map(ACCOUNT).list();
    }

    /** The account's row lock if no other transaction holds it, else empty at once (the sweeper skips the account). */
    public Optional<AccountRow> tryLock(String accountId) {
        return handle.createQuery("SELECT * FROM accounts WHERE account_id = :accountId FOR UPDATE SKIP LOCKED")
                .bind("accountId", text(accountId)).map(ACCOUNT).findOne();
    }

    public List<String> allIds() {
        return handle.createQuery("SELECT account_id FROM accounts ORDER BY account_id")
                .map((rs, ctx) -> rs.getString(1)).list();
    }

    public void insertPlanPeriod(PlanPeriodRow row) {
        handle.createUpdate("INSERT INTO plan_history (account_id, seq, plan, effective_at) "
                        + "VALUES (:accountId, :seq, :plan, :effectiveAt)")
                .bind("accountId", text(row.accountId()))
                .bind("seq", integer(row.seq()))
                .bind("plan", text(row.plan()))
                .bind("effectiveAt", timestamp(row.effectiveAt()))
                .execute();
    }

    public List<PlanPeriodRow> planHistory(String accountId) {
        return handle.createQuery("SELECT * FROM plan_history WHERE account_id = :accountId ORDER BY seq")
                .bind("accountId", text(accountId)).map(PLAN_PERIOD).list();
    }

    /** The plan periods of several accounts, each account's in the order they were recorded. */
    public Map<String, List<PlanPeriodRow>> planHistories(Collection<String> accountIds) {
        Map<String, List<PlanPeriodRow>> byAccount = new HashMap<>();
        handle.createQuery("SELECT * FROM plan_history WHERE account_id IN (<ids>) ORDER BY account_id, seq")
                .bindList("ids", List.copyOf(accountIds)).map(PLAN_PERIOD)
                .forEach(p -> byAccount.computeIfAbsent(p.accountId(), a -> new ArrayList<>()).add(p));
        return byAccount;
    }

    /** One round trip for several events, inserted in the list's order (the accounts' event order). */
    public void insertEvents(List<EventRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO account_events (account_id, kind, ref, recorded_at) "
                + "VALUES (:accountId, :kind, :ref, :recordedAt)");
        for (EventRow row : rows) {
            batch.bind("accountId", text(row.accountId()))
                    .bind("kind", text(row.kind()))
                    .bind("ref", text(row.ref()))
                    .bind("recordedAt", timestamp(row.recordedAt()))
                    .add();
        }
        batch.execute();
    }

    public void insertEvent(EventRow row) {
        insertEvents(List.of(row));
    }

    public List<EventRow> events(String accountId) {
        return handle.createQuery("SELECT * FROM account_events WHERE account_id = :accountId ORDER BY event_id")
                .bind("accountId", text(accountId)).map(EVENT).list();
    }
}

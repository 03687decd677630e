package dev.creditspolicy.store;

import static dev.creditspolicy.store.Columns.decimal;
import static dev.creditspolicy.store.Columns.enumOf;
import static dev.creditspolicy.store.Columns.instant;
import static dev.creditspolicy.store.Columns.text;
import static dev.creditspolicy.store.Columns.timestamp;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.store.Rows.AllocationRow;
import dev.creditspolicy.store.Rows.DecisionRow;

/** Usage decisions and the allocations that carry them out, within one transaction's handle. */
public final class UsageDao {
    private static final RowMapper<DecisionRow> DECISION = (rs, ctx) -> new DecisionRow(rs.getString("request_id"),
            rs.getString("account_id"), enumOf(Realm.class, rs, "realm"), enumOf(Product.class, rs, "product"),
            enumOf(Feature.class, rs, "feature"), rs.getString("model"), enumOf(Outcome.class, rs, "outcome"),
            rs.getBigDecimal("credits"), instant(rs, "occurred_at"), enumOf(Plan.class, rs, "plan"),
            enumOf(Status.class, rs, "status"), enumOf(Reason.class, rs, "reason"), rs.getBigDecimal("charged"),
            rs.getBigDecimal("shortfall"), rs.getBigDecimal("balance_after"), rs.getString("rules_version"),
            rs.getString("fired_rules"), rs.getString("request_hash"), instant(rs, "recorded_at"));
    private static final RowMapper<AllocationRow> ALLOCATION = (rs, ctx) -> new AllocationRow(
            rs.getString("request_id"), rs.getInt("seq"), rs.getString("lot_id"),
            enumOf(LotType.class, rs, "lot_type"), rs.getBigDecimal("amount"));

    private static final Keyset DECISIONS_PAGE = new Keyset("occurred_at", "request_id", false);

    private final Handle handle;

    UsageDao(Handle handle) {
        this.handle = handle;
    }

    public void insert(DecisionRow row) {
        insertAll(List.of(row));
    }

    /** One round trip for several decisions (a usage batch's). */
    public void insertAll(List<DecisionRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO usage_decisions (request_id, account_id, realm, "
                + "product, feature, model, outcome, credits, occurred_at, plan, status, reason, charged, shortfall, "
                + "balance_after, rules_version, fired_rules, request_hash, recorded_at) VALUES (:requestId, "
                + ":accountId, :realm, :product, :feature, :model, :outcome, :credits, :occurredAt, :plan, :status, "
                + ":reason, :charged, :shortfall, :balanceAfter, :rulesVersion, :firedRules, :requestHash, "
                + ":recordedAt)");
        for (DecisionRow row : rows) {
            batch.bind("requestId", text(row.requestId()))
                    .bind("accountId", text(row.accountId()))
                    .bind("realm", text(row.realm()))
                    .bind("product", text(row.product()))
                    .bind("feature", text(row.feature()))
                    .bind("model", text(row.model()))
                    .bind("outcome", text(row.outcome()))
                    .bind("credits", decimal(row.credits()))
                    .bind("occurredAt", timestamp(row.occurredAt()))
                    .bind("plan", text(row.plan()))
                    .bind("status", text(row.status()))
                    .bind("reason", text(row.reason()))
                    .bind("charged", decimal(row.charged()))
                    .bind("shortfall", decimal(row.shortfall()))
                    .bind("balanceAfter", decimal(row.balanceAfter()))
                    .bind("rulesVersion", text(row.rulesVersion()))
                    .bind("firedRules", text(row.firedRules()))
                    .bind("requestHash", text(row.requestHash()))
                    .bind("recordedAt", timestamp(row.recordedAt()))
                    .add();
        }
        batch.execute();
    }

    /** One round trip for all of a decision's allocations. */
    public void insertAllocations(List<AllocationRow> rows) {
        AllocationBatch.insert(handle, "allocations", "request_id", rows);
    }

    public Optional<DecisionRow> find(String requestId) {
        return handle.createQuery("SELECT * FROM usage_decisions WHERE request_id = :requestId")
                .bind("requestId", text(requestId)).map(DECISION).findOne();
    }

    /** The stored decisions among these request ids, by request id. */
    public Map<String, DecisionRow> findAll(Collection<String> requestIds) {
        Map<String, DecisionRow> found = new HashMap<>();
        handle.createQuery("SELECT * FROM usage_decisions WHERE request_id IN (<ids>)")
                .bindList("ids", List.copyOf(requestIds)).map(DECISION).forEach(r -> found.put(r.requestId(), r));
        return found;
    }

    public List<AllocationRow> allocations(String requestId) {
        return allocationsOf(List.of(requestId));
    }

    /** The allocations of these decisions, by request id, then in order. */
    public List<AllocationRow> allocationsOf(Collection<String> requestIds) {
        if (requestIds.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("SELECT * FROM allocations WHERE request_id IN (<ids>) ORDER BY request_id, seq")
                .bindList("ids", List.copyOf(requestIds)).map(ALLOCATION).list();
    }

    /** Which of an account's decisions a page lists: occurredAt in [from, to), one product, one status (nulls: any). */
    public record DecisionFilter(Instant from, Instant to, Product product, Status status) {
    }

    /** A page of the account's decisions (usage and hold commits), newest occurredAt first. */
    public List<DecisionRow> page(String accountId, DecisionFilter filter, PageRequest page) {
        StringBuilder sql = new StringBuilder("SELECT * FROM usage_decisions WHERE account_id = :accountId");
        sql.append(filter.from() == null ? "" : " AND occurred_at >= :from")
                .append(filter.to() == null ? "" : " AND occurred_at < :to")
                .append(filter.product() == null ? "" : " AND product = :product")
                .append(filter.status() == null ? "" : " AND status = :status");
        Query q = DECISIONS_PAGE.bind(handle.createQuery(sql + DECISIONS_PAGE.sql(page)), page)
                .bind("accountId", text(accountId));
        if (filter.from() != null) {
            q.bind("from", timestamp(filter.from()));
        }
        if (filter.to() != null) {
            q.bind("to", timestamp(filter.to()));
        }
        if (filter.product() != null) {
            q.bind("product", text(filter.product()));
        }
        if (filter.status() != null) {
            q.bind("status", text(filter.status()));
        }
        return q.map(DECISION).list();
    }

    /**
     * One cell of the usage report: the decisions of one group key (a product, feature or model; for days, the
     * instant a quarter hour starts), one status, reversed or not: how many, and what they charged.
     */
    public record ReportCell(String key, Status status, boolean reversed, long calls, BigDecimal charged) {
    }

    /**
     * What the usage report groups by: a column, or for days the quarter-hour of the call (its epoch second / 900),
     * which the caller folds into the days of its zone: every zone's offset is a whole number of quarter hours, so
     * a quarter hour never straddles two days, and the database hands back at most 96 groups a day, however many
     * calls the day had. {@code second} groups by the instant itself, for a zone with an odd offset.
     */
    public static final Map<String, String> REPORT_COLUMNS = Map.of("product", "d.product", "feature", "d.feature",
            "model", "d.model", "quarter-hour", "FLOOR(EXTRACT(EPOCH FROM d.occurred_at) / 900)",
            "second", "FLOOR(EXTRACT(EPOCH FROM d.occurred_at))");

    /**
     * The account's decisions with occurredAt in [from, to) of these products (null: all), aggregated in the
     * database by {@code groupBy} (a key of {@link #REPORT_COLUMNS}), status and whether reversed; streamed to
     * {@code cell}, so memory holds the groups, never the decisions.
     */
    public void report(String accountId, Instant from, Instant to, Collection<Product> products, String groupBy,
                       java.util.function.Consumer<ReportCell> cell) {
        String column = REPORT_COLUMNS.get(groupBy);
        if (column == null) {
            throw new IllegalArgumentException(groupBy);
        }
        String reversed = "CASE WHEN r.request_id IS NULL THEN 0 ELSE 1 END";
        Query q = handle.createQuery("SELECT " + column + " AS k, d.status AS status, " + reversed + " AS rev, "
                        + "COUNT(*) AS n, SUM(d.charged) AS charged FROM usage_decisions d LEFT JOIN usage_reversals r "
                        + "ON r.request_id = d.request_id WHERE d.account_id = :accountId AND d.occurred_at >= :from "
                        + "AND d.occurred_at < :to" + (products == null ? "" : " AND d.product IN (<products>)")
                        + " GROUP BY " + column + ", d.status, " + reversed)
                .bind("accountId", text(accountId)).bind("from", timestamp(from)).bind("to", timestamp(to));
        if (products != null) {
            if (products.isEmpty()) {
                return;
            }
            q.bindList("products", products.stream().map(Enum::name).toList());
        }
        boolean instants = groupBy.equals("quarter-hour") || groupBy.equals("second");
        long seconds = groupBy.equals("quarter-hour") ? 900 : 1;
        q.setFetchSize(1000).map((rs, ctx) -> new ReportCell(instants
                        ? Instant.ofEpochSecond(rs.getLong("k") * seconds).toString() : rs.getString("k"),
                        enumOf(Status.class, rs, "status"),
                        rs.getInt("rev") == 1, rs.getLong("n"), rs.getBigDecimal("charged")))
                .forEach(cell);
    }
}

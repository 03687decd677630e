package dev.creditspolicy.store;

import static dev.creditspolicy.store.Columns.instant;
import static dev.creditspolicy.store.Columns.longOrNull;
import static dev.creditspolicy.store.Columns.text;
import static dev.creditspolicy.store.Columns.timestamp;

import java.time.Instant;
import java.util.List;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

import dev.creditspolicy.paging.PageRequest;

/** The audit trail: who (a key's name) changed what, when (the server clock), with the request and its result. */
public final class AuditDao {
    public record AuditRow(Long auditId, Instant at, String actor, String action, String target, String request,
                           String result) {
    }

    private static final RowMapper<AuditRow> ROW = (rs, ctx) -> new AuditRow(longOrNull(rs, "audit_id"),
            instant(rs, "at"), rs.getString("actor"), rs.getString("action"), rs.getString("target"),
            rs.getString("request"), rs.getString("result"));

    private static final Keyset PAGE = new Keyset(null, "audit_id", true);

    private final Handle handle;

    AuditDao(Handle handle) {
        this.handle = handle;
    }

    public void insert(AuditRow row) {
        handle.createUpdate("INSERT INTO audit_log (at, actor, action, target, request, result) "
                        + "VALUES (:at, :actor, :action, :target, :request, :result)")
                .bind("at", timestamp(row.at()))
                .bind("actor", text(row.actor()))
                .bind("action", text(row.action()))
                .bind("target", text(row.target()))
                .bind("request", text(row.request()))
                .bind("result", text(row.result()))
                .execute();
    }

    /** Entries in [from, to) (either open), of one actor or all, newest first. */
    public List<AuditRow> find(Instant from, Instant to, String actor, PageRequest page) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        if (from != null) {
            sql.append(" AND at >= :from");
        }
        if (to != null) {
            sql.append(" AND at < :to");
        }
        if (actor != null) {
            sql.append(" AND actor = :actor");
        }
        Query q = PAGE.bind(handle.createQuery(sql + PAGE.sql(page)), page);
        if (from != null) {
            q.bind("from", timestamp(from));
        }
        if (to != null) {
            q.bind("to", timestamp(to));
        }
        if (actor != null) {
            q.bind("actor", text(actor));
        }
        return q.map(ROW).list();
    }
}

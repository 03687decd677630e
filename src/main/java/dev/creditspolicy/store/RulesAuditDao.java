package dev.creditspolicy.store;

import static dev.creditspolicy.store.Columns.instant;
import static dev.creditspolicy.store.Columns.longOrNull;
import static dev.creditspolicy.store.Columns.text;
import static dev.creditspolicy.store.Columns.timestamp;

import java.util.List;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.store.Rows.RulesReloadRow;

/** The audit of rule loads: one row per start, reload request or watched save, refused ones included. */
public final class RulesAuditDao {
    private static final RowMapper<RulesReloadRow> RELOAD = (rs, ctx) -> new RulesReloadRow(
            longOrNull(rs, "reload_id"), instant(rs, "loaded_at"), rs.getString("trigger_kind"),
            rs.getString("outcome"), rs.getString("serving"), rs.getString("candidate"), rs.getString("files"),
            rs.getString("error"));

    private static final Keyset PAGE = new Keyset(null, "reload_id", true);

    private final Handle handle;

    RulesAuditDao(Handle handle) {
        this.handle = handle;
    }

    public void insert(RulesReloadRow row) {
        handle.createUpdate("INSERT INTO rules_reloads (loaded_at, trigger_kind, outcome, serving, candidate, files, "
                        + "error) VALUES (:loadedAt, :triggerKind, :outcome, :serving, :candidate, :files, :error)")
                .bind("loadedAt", timestamp(row.loadedAt()))
                .bind("triggerKind", text(row.triggerKind()))
                .bind("outcome", text(row.outcome()))
                .bind("serving", text(row.serving()))
                .bind("candidate", text(row.candidate()))
                .bind("files", text(row.files()))
                .bind("error", text(row.error()))
                .execute();
    }

    /** A page of the reloads, newest first. */
    public List<RulesReloadRow> latest(PageRequest page) {
        return PAGE.bind(handle.createQuery("SELECT * FROM rules_reloads WHERE 1 = 1" + PAGE.sql(page)), page)
                .map(RELOAD).list();
    }
}

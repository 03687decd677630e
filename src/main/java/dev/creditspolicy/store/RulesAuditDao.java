package dev.creditspolicy.store;

import java.util.List;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import dev.creditspolicy.store.Rows.RulesReloadRow;

@RegisterConstructorMapper(RulesReloadRow.class)
public interface RulesAuditDao {

    @SqlUpdate("INSERT INTO rules_reloads (loaded_at, trigger_kind, outcome, serving, candidate, files, error) "
            + "VALUES (:loadedAt, :triggerKind, :outcome, :serving, :candidate, :files, :error)")
    void insert(@BindMethods RulesReloadRow row);

    @SqlQuery("SELECT * FROM rules_reloads ORDER BY reload_id DESC LIMIT :limit")
    List<RulesReloadRow> latest(@Bind("limit") int limit);
}

package dev.creditspolicy.store;

import static dev.creditspolicy.store.Columns.integer;
import static dev.creditspolicy.store.Columns.text;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.ledger.PriceBreakdown;
import dev.creditspolicy.store.Rows.PriceRow;

/**
 * The token counts and price breakdown of priced requests: {@code usage_prices} beside usage decisions (a commit's
 * actual cost included), {@code hold_prices} beside holds (the estimate). The breakdown is kept as the JSON it was
 * answered in and read back into the same record, so a stored answer is given again byte for byte.
 */
public final class PriceDao {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RowMapper<PriceRow> ROW = (rs, ctx) -> new PriceRow(rs.getLong("input_tokens"),
            rs.getLong("cached_input_tokens"), rs.getLong("output_tokens"),
            JSON.readValue(rs.getString("breakdown"), PriceBreakdown.class));

    private final Handle handle;

    PriceDao(Handle handle) {
        this.handle = handle;
    }

    public void insertUsage(String requestId, PriceRow row) {
        insertUsages(Map.of(requestId, row));
    }

    /** One round trip for the prices of several decisions, by request id. */
    public void insertUsages(Map<String, PriceRow> rows) {
        insert("usage_prices", "request_id", rows);
    }

    public void insertHold(String holdId, PriceRow row) {
        insert("hold_prices", "hold_id", Map.of(holdId, row));
    }

    public Optional<PriceRow> ofUsage(String requestId) {
        return find("usage_prices", "request_id", requestId);
    }

    /** The prices of these decisions (those that were priced), by request id. */
    public Map<String, PriceRow> ofUsages(Collection<String> requestIds) {
        Map<String, PriceRow> found = new HashMap<>();
        if (!requestIds.isEmpty()) {
            handle.createQuery("SELECT * FROM usage_prices WHERE request_id IN (<ids>)")
                    .bindList("ids", List.copyOf(requestIds))
                    .map((rs, ctx) -> Map.entry(rs.getString("request_id"), ROW.map(rs, ctx)))
                    .forEach(e -> found.put(e.getKey(), e.getValue()));
        }
        return found;
    }

    public Optional<PriceRow> ofHold(String holdId) {
        return find("hold_prices", "hold_id", holdId);
    }

    private void insert(String table, String key, Map<String, PriceRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO " + table + " (" + key + ", input_tokens, "
                + "cached_input_tokens, output_tokens, breakdown) VALUES (:id, :input, :cached, :output, :breakdown)");
        rows.forEach((id, row) -> batch.bind("id", text(id))
                .bind("input", integer(row.inputTokens()))
                .bind("cached", integer(row.cachedInputTokens()))
                .bind("output", integer(row.outputTokens()))
                .bind("breakdown", text(JSON.writeValueAsString(row.breakdown())))
                .add());
        batch.execute();
    }

    private Optional<PriceRow> find(String table, String key, String id) {
        return handle.createQuery("SELECT * FROM " + table + " WHERE " + key + " = :id")
                .bind("id", text(id)).map(ROW).findOne();
    }
}

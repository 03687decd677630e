package dev.creditspolicy.concurrency;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.CreditsServices;

/**
 * For the backup, restore and upgrade tests: a recorded history made through the services, and a database's tables
 * as rows of text, compared whole (every table, every column, ordered), so "identical" means identical.
 */
final class LedgerCopies {
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private LedgerCopies() {
    }

    /**
     * Three personal accounts with a 100-credit July plan lot each and 12 calls each, the last ones refused for want
     * of credits (a workload {@link LedgerInvariants} can check serially); the answers by request id.
     */
    static Map<String, LedgerInvariants.Answered> history(CreditsServices s) {
        Map<String, LedgerInvariants.Answered> answered = new HashMap<>();
        for (int a = 0; a < 3; a++) {
            String id = "acct-" + a;
            s.accounts().create(Kinds.ACCOUNT.parse(null, JSON.readTree("{\"accountId\":\"" + id + "\","
                    + "\"realm\":\"QODER_CN\",\"plan\":\"PERSONAL_PRO\",\"at\":\"2026-07-01T00:00:00+08:00\"}")));
            s.accounts().startCycle(Kinds.CYCLE.parse(id, JSON.readTree("{\"plan\":\"PERSONAL_PRO\","
                    + "\"start\":\"2026-07-01T00:00:00+08:00\",\"end\":\"2026-08-01T00:00:00+08:00\",\"credits\":100}")));
            for (int i = 0; i < 12; i++) {
                String requestId = id + "-call-" + i;
                UsageDecision d = s.usage().record(Kinds.USAGE.parse(null, JSON.readTree("{\"requestId\":\""
                        + requestId + "\",\"accountId\":\"" + id + "\",\"product\":\"CLI\",\"feature\":\"QUEST_AGENT\","
                        + "\"model\":\"qwen3-coder\",\"outcome\":\"SUCCEEDED\",\"credits\":" + (i + 1 + a) + ".25,"
                        + "\"occurredAt\":\"2026-07-02T" + String.format("%02d", i) + ":00:00+08:00\"}"))).body();
                answered.put(requestId, new LedgerInvariants.Answered(id, d.status().name(), d.charged(),
                        d.shortfall(), d.balanceAfter()));
            }
        }
        return answered;
    }

    /** Every table of the schema but Flyway's, with its columns in order (names in lower case). */
    static Map<String, List<String>> tables(Connection c) throws SQLException {
        Map<String, List<String>> tables = new TreeMap<>();
        try (ResultSet rs = c.getMetaData().getColumns(c.getCatalog(), c.getSchema(), "%", "%")) {
            while (rs.next()) {
                String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (!table.equals("flyway_schema_history")) {
                    tables.computeIfAbsent(table, t -> new ArrayList<>())
                            .add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return tables;
    }

    /** The rows of {@code table}, only {@code columns}, as text (numbers as plain decimals), sorted. */
    static List<String> rows(Connection c, String table, List<String> columns) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + String.join(", ", columns) + " FROM " + table);
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns.size(); i++) {
                    Object v = rs.getObject(i);
                    Object shown = v instanceof BigDecimal d ? d.toPlainString()
                            : v instanceof java.time.temporal.TemporalAccessor || v instanceof java.util.Date
                            ? rs.getObject(i, java.time.OffsetDateTime.class).toInstant() : v;
                    row.append(columns.get(i - 1)).append('=').append(shown).append(' ');
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows;
    }

    /** Every table's rows, for the tables and columns of {@code shape}. */
    static Map<String, List<String>> contents(DataSource ds, Map<String, List<String>> shape) throws SQLException {
        try (Connection c = ds.getConnection()) {
            Map<String, List<String>> all = new TreeMap<>();
            for (var t : shape.entrySet()) {
                all.put(t.getKey(), rows(c, t.getKey(), t.getValue()));
            }
            return all;
        }
    }

    static Map<String, List<String>> contents(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return contents(ds, tables(c));
        }
    }

    /** Copies the rows of {@code shape}'s tables and columns from one database to another (foreign keys off: H2). */
    static void copy(DataSource from, DataSource to, Map<String, List<String>> shape) throws SQLException {
        try (Connection src = from.getConnection(); Connection dst = to.getConnection()) {
            dst.createStatement().execute("SET REFERENTIAL_INTEGRITY FALSE");
            for (var t : shape.entrySet()) {
                List<String> cols = t.getValue();
                String insert = "INSERT INTO " + t.getKey() + " (" + String.join(", ", cols) + ") VALUES ("
                        + String.join(", ", cols.stream().map(x -> "?").toList()) + ")";
                try (PreparedStatement read = src.prepareStatement("SELECT " + String.join(", ", cols) + " FROM "
                        + t.getKey()); ResultSet rs = read.executeQuery();
                     PreparedStatement write = dst.prepareStatement(insert)) {
                    while (rs.next()) {
                        for (int i = 1; i <= cols.size(); i++) {
                            write.setObject(i, rs.getObject(i));
                        }
                        write.addBatch();
                    }
                    write.executeBatch();
                }
            }
            dst.createStatement().execute("SET REFERENTIAL_INTEGRITY TRUE");
        }
    }
}

package dev.creditspolicy.events;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.facts.CreditKind;
import dev.creditspolicy.policy.facts.Realm;

/** The outbox ({@code events}), what the last change left ({@code event_balances}), and the reads alerts need. */
public final class EventDao {
    static final RowMapper<StoredEvent> EVENT = (rs, ctx) -> new StoredEvent(rs.getLong("seq"),
            rs.getString("event_id"), rs.getString("account_id"), Realm.valueOf(rs.getString("realm")),
            rs.getString("type"), rs.getString("subject"), instant(rs, "occurred_at"), rs.getString("rules_version"),
            rs.getString("data"), instant(rs, "recorded_at"));

    private final Handle handle;

    public EventDao(Handle handle) {
        this.handle = handle;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    /** Inserts the events; one already stored under its id (the same change seen again) is left as it was. */
    public void insert(List<StoredEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        Set<String> known = new HashSet<>(handle.createQuery("SELECT event_id FROM events WHERE event_id IN (<ids>)")
                .bindList("ids", events.stream().map(StoredEvent::eventId).toList()).mapTo(String.class).list());
        PreparedBatch batch = handle.prepareBatch("INSERT INTO events (event_id, account_id, realm, type, subject, "
                + "occurred_at, rules_version, data, recorded_at) VALUES (:eventId, :accountId, :realm, :type, "
                + ":subject, :occurredAt, :rulesVersion, :data, :recordedAt)");
        int n = 0;
        for (StoredEvent e : events) {
            if (known.add(e.eventId())) {
                batch.bind("eventId", e.eventId()).bind("accountId", e.accountId()).bind("realm", e.realm().name())
                        .bind("type", e.type()).bind("subject", e.subject()).bind("occurredAt", utc(e.occurredAt()))
                        .bind("rulesVersion", e.rulesVersion()).bind("data", e.data())
                        .bind("recordedAt", utc(e.recordedAt())).add();
                n++;
            }
        }
        if (n > 0) {
            batch.execute();
        }
    }

    /** Events by their outbox sequence numbers. */
    public List<StoredEvent> bySeq(Collection<Long> seqs) {
        if (seqs.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("SELECT * FROM events WHERE seq IN (<seqs>) ORDER BY seq")
                .bindList("seqs", List.copyOf(seqs)).map(EVENT).list();
    }

    /** A page of the account's events, newest first (keyset on the outbox sequence number). */
    public List<StoredEvent> ofAccount(String accountId, PageRequest page) {
        return handle.createQuery("SELECT * FROM events WHERE account_id = :accountId AND seq < :before "
                        + "ORDER BY seq DESC LIMIT :rows")
                .bind("accountId", accountId).bind("before", page.after() == null ? Long.MAX_VALUE
                        : page.after().number()).bind("rows", page.rows()).map(EVENT).list();
    }

    /** What the account's last change left available per kind, and whether each kind is low. */
    public record Balance(BigDecimal available, boolean low) {
    }

    /** Of these accounts, what each one's last change left (an account no change has touched yet is absent). */
    public Map<String, Map<CreditKind, Balance>> balances(Collection<String> accountIds) {
        Map<String, Map<CreditKind, Balance>> out = new HashMap<>();
        handle.createQuery("SELECT account_id, credits, available, low FROM event_balances "
                        + "WHERE account_id IN (<accountIds>)")
                .bindList("accountIds", List.copyOf(accountIds))
                .map((rs, ctx) -> Map.entry(rs.getString("account_id"), Map.entry(
                        CreditKind.valueOf(rs.getString("credits")),
                        new Balance(rs.getBigDecimal("available"), rs.getBoolean("low")))))
                .forEach(e -> out.computeIfAbsent(e.getKey(), a -> new HashMap<>())
                        .put(e.getValue().getKey(), e.getValue().getValue()));
        return out;
    }

    /**
     * Updated in place where the account has the kind's row (a change holds the account's lock, so no one else writes
     * it meanwhile), inserted where not: a delete and insert on every change left two dead rows a change behind. One
     * batch of updates for every account of the transaction, and one of inserts.
     */
    public void saveBalances(Map<String, Map<CreditKind, Balance>> byAccount) {
        List<Row> rows = new ArrayList<>();
        byAccount.forEach((a, kinds) -> kinds.forEach((k, b) -> rows.add(new Row(a, k, b))));
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch update = handle.prepareBatch("UPDATE event_balances SET available = :available, low = :low "
                + "WHERE account_id = :accountId AND credits = :credits");
        rows.forEach(r -> r.bind(update));
        int[] updated = update.execute();
        PreparedBatch insert = handle.prepareBatch("INSERT INTO event_balances (account_id, credits, available, low) "
                + "VALUES (:accountId, :credits, :available, :low)");
        for (int i = 0; i < rows.size(); i++) {
            if (updated[i] == 0) {
                rows.get(i).bind(insert);
            }
        }
        if (insert.size() > 0) {
            insert.execute();
        }
    }

    /** One row of {@code event_balances}. */
    private record Row(String accountId, CreditKind credits, Balance balance) {
        void bind(PreparedBatch batch) {
            batch.bind("accountId", accountId).bind("credits", credits.name())
                    .bind("available", balance.available()).bind("low", balance.low()).add();
        }
    }
}

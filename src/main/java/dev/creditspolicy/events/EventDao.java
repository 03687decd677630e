package dev.creditspolicy.events;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import dev.creditspolicy.ledger.Money;
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

    /** Of these subjects, those an event of {@code type} was already raised about for the account. */
    public Set<String> raisedAbout(String accountId, String type, Collection<String> subjects) {
        if (subjects.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(handle.createQuery("SELECT subject FROM events WHERE account_id = :accountId "
                        + "AND type = :type AND subject IN (<subjects>)")
                .bind("accountId", accountId).bind("type", type).bindList("subjects", List.copyOf(subjects))
                .mapTo(String.class).list());
    }

    /** What the account's last change left available per kind, and whether each kind is low. */
    public record Balance(BigDecimal available, boolean low) {
    }

    public Map<CreditKind, Balance> balances(String accountId) {
        Map<CreditKind, Balance> out = new HashMap<>();
        handle.createQuery("SELECT credits, available, low FROM event_balances WHERE account_id = :accountId")
                .bind("accountId", accountId)
                .map((rs, ctx) -> Map.entry(CreditKind.valueOf(rs.getString("credits")),
                        new Balance(rs.getBigDecimal("available"), rs.getBoolean("low"))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * Updated in place where the account has the kind's row (a change holds the account's lock, so no one else writes
     * it meanwhile), inserted where not: a delete and insert on every change left two dead rows a change behind.
     */
    public void saveBalances(String accountId, Map<CreditKind, Balance> balances) {
        List<CreditKind> kinds = List.copyOf(balances.keySet());
        PreparedBatch update = handle.prepareBatch("UPDATE event_balances SET available = :available, low = :low "
                + "WHERE account_id = :accountId AND credits = :credits");
        kinds.forEach(k -> update.bind("accountId", accountId).bind("credits", k.name())
                .bind("available", balances.get(k).available()).bind("low", balances.get(k).low()).add());
        int[] updated = update.execute();
        PreparedBatch insert = handle.prepareBatch("INSERT INTO event_balances (account_id, credits, available, low) "
                + "VALUES (:accountId, :credits, :available, :low)");
        for (int i = 0; i < kinds.size(); i++) {
            if (updated[i] == 0) {
                Balance b = balances.get(kinds.get(i));
                insert.bind("accountId", accountId).bind("credits", kinds.get(i).name())
                        .bind("available", b.available()).bind("low", b.low()).add();
            }
        }
        if (insert.size() > 0) {
            insert.execute();
        }
    }

    /** What the plan cycles running at {@code at} granted the account (zero when none runs). */
    public BigDecimal cycleGrant(String accountId, Instant at) {
        BigDecimal sum = handle.createQuery("SELECT SUM(amount) FROM lots WHERE account_id = :accountId "
                        + "AND source = 'PLAN' AND effective_at <= :at AND expires_at > :at")
                .bind("accountId", accountId).bind("at", utc(at)).mapTo(BigDecimal.class).one();
        return sum == null ? Money.ZERO : Money.of(sum);
    }

    /**
     * What the account was charged with event times in ({@code from}, {@code to}], reversed charges left out: one
     * range of the usage index (account, occurred_at), never the whole history.
     */
    public BigDecimal chargedBetween(String accountId, Instant from, Instant to) {
        BigDecimal sum = handle.createQuery("SELECT SUM(d.charged) FROM usage_decisions d WHERE d.account_id = "
                        + ":accountId AND d.occurred_at > :from AND d.occurred_at <= :to AND d.charged > 0 "
                        + "AND NOT EXISTS (SELECT 1 FROM usage_reversals r WHERE r.request_id = d.request_id)")
                .bind("accountId", accountId).bind("from", utc(from)).bind("to", utc(to))
                .mapTo(BigDecimal.class).one();
        return sum == null ? Money.ZERO : Money.of(sum);
    }
}

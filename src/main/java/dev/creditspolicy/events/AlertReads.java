package dev.creditspolicy.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.jdbi.v3.core.Handle;

import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.policy.facts.CreditKind;
import dev.creditspolicy.policy.facts.EventType;

/**
 * What alerts.drl's facts are made of, read from the database for the changes of one transaction: what each
 * account's last change left ({@code event_balances}), the plan cycles' grants, what was charged in each change's
 * burn-rate window, and which lots were already announced as expiring. A batch reads each of these once for all its
 * changes ({@link #warm}) instead of once per change, so the accounts' locks are held for a few statements rather
 * than a few per call; a change it did not foresee is read alone through the same queries. What this transaction
 * itself charged or raised is added by {@link EventRecorder}, which knows it.
 */
final class AlertReads {
    /** The burn-rate window of a change: its account's charges with event times in ({@code from}, {@code to}]. */
    record Window(String accountId, Instant from, Instant to) {
    }

    /** A plan lot's grant and when it is in force. */
    private record Grant(BigDecimal amount, Instant effectiveAt, Instant expiresAt) {
        boolean inForceAt(Instant t) {
            return !effectiveAt.isAfter(t) && expiresAt.isAfter(t);
        }
    }

    /** The plan lots read for an account, complete for the instants of [from, to]. */
    private record Grants(Instant from, Instant to, List<Grant> lots) {
        boolean covers(Instant t) {
            return !t.isBefore(from) && !t.isAfter(to);
        }
    }

    private final Handle handle;
    private final Map<String, Map<CreditKind, EventDao.Balance>> balances = new HashMap<>();
    private final Map<String, List<Grants>> grants = new HashMap<>();
    private final Map<Window, BigDecimal> charged = new HashMap<>();
    private final Map<String, Set<String>> checkedSubjects = new HashMap<>();
    private final Map<String, Set<String>> announced = new HashMap<>();

    AlertReads(Handle handle) {
        this.handle = handle;
    }

    /**
     * Reads at once what changes of these accounts at instants of [from, to] will need: their balances, their plan
     * grants, the charges in {@code windows}, and whether each of {@code subjects} (lotId@expiresAt of the lots they
     * may show) was announced.
     */
    void warm(Set<String> accountIds, Instant from, Instant to, Collection<Window> windows,
              Map<String, ? extends Collection<String>> subjects) {
        if (accountIds.isEmpty()) {
            return;
        }
        EventDao dao = new EventDao(handle);
        Map<String, Map<CreditKind, EventDao.Balance>> read = dao.balances(accountIds);
        accountIds.forEach(a -> balances.put(a, Map.copyOf(read.getOrDefault(a, Map.of()))));
        readGrants(accountIds, from, to);
        readCharged(windows);
        readAnnounced(subjects);
    }

    /** What the account's last change left available per kind, and whether each kind is low. */
    Map<CreditKind, EventDao.Balance> balances(String accountId) {
        return balances.computeIfAbsent(accountId,
                a -> Map.copyOf(new EventDao(handle).balances(Set.of(a)).getOrDefault(a, Map.of())));
    }

    /** What the plan cycles in force at {@code at} granted the account (zero when none is). */
    BigDecimal cycleGrant(String accountId, Instant at) {
        Grants g = grants.getOrDefault(accountId, List.of()).stream().filter(x -> x.covers(at)).findFirst()
                .orElseGet(() -> readGrants(Set.of(accountId), at, at).get(accountId));
        return g.lots().stream().filter(l -> l.inForceAt(at)).map(Grant::amount).reduce(Money.ZERO, BigDecimal::add);
    }

    /** What was charged (reversals left out) in the window, as stored before this transaction wrote. */
    BigDecimal charged(Window w) {
        readCharged(List.of(w)); // reads nothing when the batch already did
        return charged.get(w);
    }

    /** Of these subjects of the account, those a {@code credits.expiring} event was stored about. */
    Set<String> announced(String accountId, Collection<String> subjects) {
        Set<String> unchecked = new TreeSet<>(subjects);
        unchecked.removeAll(checkedSubjects.getOrDefault(accountId, Set.of()));
        if (!unchecked.isEmpty()) {
            readAnnounced(Map.of(accountId, unchecked));
        }
        return announced.getOrDefault(accountId, Set.of());
    }

    private Map<String, Grants> readGrants(Set<String> accountIds, Instant from, Instant to) {
        Map<String, List<Grant>> rows = new HashMap<>();
        accountIds.forEach(a -> rows.put(a, new ArrayList<>()));
        handle.createQuery("SELECT account_id, amount, effective_at, expires_at FROM lots WHERE account_id IN "
                        + "(<accountIds>) AND source = 'PLAN' AND effective_at <= :to AND expires_at > :from")
                .bindList("accountIds", List.copyOf(accountIds)).bind("from", EventDao.utc(from))
                .bind("to", EventDao.utc(to))
                .map((rs, ctx) -> Map.entry(rs.getString("account_id"), new Grant(rs.getBigDecimal("amount"),
                        EventDao.instant(rs, "effective_at"), EventDao.instant(rs, "expires_at"))))
                .forEach(e -> rows.get(e.getKey()).add(e.getValue()));
        Map<String, Grants> out = new HashMap<>();
        rows.forEach((a, lots) -> {
            Grants g = new Grants(from, to, List.copyOf(lots));
            grants.computeIfAbsent(a, x -> new ArrayList<>()).add(g);
            out.put(a, g);
        });
        return out;
    }

    /** One statement for every window: a derived table of the windows, each summed over its range. */
    private void readCharged(Collection<Window> windows) {
        List<Window> todo = windows.stream().distinct().filter(w -> !charged.containsKey(w)).toList();
        if (todo.isEmpty()) {
            return;
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < todo.size(); i++) {
            values.append(i == 0 ? "" : ", ").append("(").append(i).append(", CAST(:a").append(i)
                    .append(" AS VARCHAR(128)), CAST(:f").append(i).append(" AS TIMESTAMP WITH TIME ZONE), CAST(:t")
                    .append(i).append(" AS TIMESTAMP WITH TIME ZONE))");
        }
        // a subquery per window, so each is one range of the usage index (account, occurred_at) whatever the plan
        var query = handle.createQuery("SELECT w.n, (SELECT SUM(d.charged) FROM usage_decisions d "
                + "WHERE d.account_id = w.account_id AND d.occurred_at > w.from_at AND d.occurred_at <= w.to_at "
                + "AND d.charged > 0 AND NOT EXISTS (SELECT 1 FROM usage_reversals r "
                + "WHERE r.request_id = d.request_id)) AS charged FROM (VALUES " + values
                + ") AS w (n, account_id, from_at, to_at)");
        for (int i = 0; i < todo.size(); i++) {
            Window w = todo.get(i);
            query.bind("a" + i, w.accountId()).bind("f" + i, EventDao.utc(w.from())).bind("t" + i,
                    EventDao.utc(w.to()));
        }
        query.map((rs, ctx) -> Map.entry(rs.getInt("n"), Optional.ofNullable(rs.getBigDecimal("charged"))))
                .forEach(e -> charged.put(todo.get(e.getKey()), e.getValue().map(Money::of).orElse(Money.ZERO)));
    }

    private void readAnnounced(Map<String, ? extends Collection<String>> subjects) {
        Set<String> accounts = new TreeSet<>();
        Set<String> all = new TreeSet<>();
        subjects.forEach((a, s) -> {
            if (!s.isEmpty()) {
                accounts.add(a);
                all.addAll(s);
                checkedSubjects.computeIfAbsent(a, x -> new HashSet<>()).addAll(s);
            }
        });
        if (all.isEmpty()) {
            return;
        }
        handle.createQuery("SELECT account_id, subject FROM events WHERE account_id IN (<accountIds>) "
                        + "AND type = :type AND subject IN (<subjects>)")
                .bindList("accountIds", List.copyOf(accounts)).bind("type", EventType.CREDITS_EXPIRING.wire())
                .bindList("subjects", List.copyOf(all))
                .map((rs, ctx) -> Map.entry(rs.getString("account_id"), rs.getString("subject")))
                .forEach(e -> announced.computeIfAbsent(e.getKey(), x -> new HashSet<>()).add(e.getValue()));
    }
}

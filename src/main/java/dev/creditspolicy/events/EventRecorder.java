package dev.creditspolicy.events;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.policy.AlertRules;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.Sha256;
import dev.creditspolicy.policy.facts.AccountState;
import dev.creditspolicy.policy.facts.BalanceChange;
import dev.creditspolicy.policy.facts.CreditKind;
import dev.creditspolicy.policy.facts.EventType;
import dev.creditspolicy.policy.facts.ExpiringLot;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Raise;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Store.Tx;

/**
 * Asks alerts.drl about each change of an account within one transaction and writes what it raises to the outbox
 * in that transaction (so an event exists exactly when its change does). A batch of changes in one transaction sees
 * its own earlier changes: their balances, charges and events, before anything is written.
 */
public final class EventRecorder {
    private final EventDao dao;
    private final AlertReads reads;
    private final RuleSet rules;
    private final Clock clock;
    private final Map<String, Map<CreditKind, EventDao.Balance>> balances = new HashMap<>();
    private final Map<String, List<Map.Entry<Instant, BigDecimal>>> unwrittenCharges = new HashMap<>();
    private final Map<String, StoredEvent> raised = new LinkedHashMap<>();

    public EventRecorder(Tx tx, RuleSet rules, Clock clock) {
        this.dao = new EventDao(tx.handle());
        this.reads = new AlertReads(tx.handle());
        this.rules = rules;
        this.clock = clock;
    }

    /** One change, its events written at once. */
    public static void record(Tx tx, RuleSet rules, Clock clock, AccountChange change) {
        EventRecorder recorder = new EventRecorder(tx, rules, clock);
        recorder.changed(change);
        recorder.write();
    }

    /**
     * A batch's changes to come, read at once: of these accounts at instants of [from, to], the changes at
     * {@code changesAt} (account, instant) and the lots they may show ({@code lots}). A change not foreseen here is
     * read on its own when it comes.
     */
    public void foresee(Set<String> accountIds, Instant from, Instant to, Collection<Map.Entry<String, Instant>>
            changesAt, Collection<LotRow> lots) {
        Map<String, Set<String>> subjects = new HashMap<>();
        lots.forEach(l -> subjects.computeIfAbsent(l.accountId(), a -> new HashSet<>())
                .add(ExpiringLot.subjectOf(l.lotId(), l.expiresAt())));
        reads.warm(accountIds, from, to, changesAt.stream().map(c -> window(c.getKey(), c.getValue())).toList(),
                subjects);
    }

    private static AlertReads.Window window(String accountId, Instant at) {
        return new AlertReads.Window(accountId, at.minus(Runway.WINDOW), at);
    }

    /** A charge of this transaction not yet written (a batch writes at its end): it counts in the burn rate. */
    public void charged(String accountId, Instant at, BigDecimal amount) {
        if (amount.signum() > 0) {
            unwrittenCharges.computeIfAbsent(accountId, a -> new ArrayList<>()).add(Map.entry(at, amount));
        }
    }

    /** The burn rate per day over the 7 days of event time up to {@code at}, this transaction's charges included. */
    BigDecimal burnPerDay(String accountId, Instant at) {
        AlertReads.Window window = window(accountId, at);
        BigDecimal charged = reads.charged(window);
        for (var c : unwrittenCharges.getOrDefault(accountId, List.of())) {
            if (c.getKey().isAfter(window.from()) && !c.getKey().isAfter(at)) {
                charged = charged.add(c.getValue());
            }
        }
        return Runway.burnPerDay(charged);
    }

    public void changed(AccountChange c) {
        BigDecimal burn = burnPerDay(c.accountId(), c.at());
        List<Object> facts = new ArrayList<>(c.did());
        facts.add(new AccountState(c.accountId(), c.realm(), c.plan(), c.at(),
                reads.cycleGrant(c.accountId(), c.at()), burn));
        Map<CreditKind, BigDecimal> after = available(c.available());
        Map<CreditKind, EventDao.Balance> before = balances.containsKey(c.accountId()) ? balances.get(c.accountId())
                : reads.balances(c.accountId());
        for (CreditKind k : CreditKind.values()) {
            EventDao.Balance b = before.get(k);
            facts.add(new BalanceChange(k, b == null ? Money.ZERO : b.available(), after.get(k), b != null && b.low()));
        }
        facts.addAll(expiringLots(c, burn));
        Map<CreditKind, EventDao.Balance> next = new EnumMap<>(CreditKind.class);
        for (CreditKind k : CreditKind.values()) {
            EventDao.Balance b = before.get(k);
            next.put(k, new EventDao.Balance(after.get(k), b != null && b.low()));
        }
        for (Raise r : AlertRules.evaluate(rules, facts).raised()) {
            if (r.about() instanceof BalanceChange bc && (r.type() == EventType.BALANCE_LOW
                    || r.type() == EventType.BALANCE_RECOVERED)) {
                next.put(bc.credits(), new EventDao.Balance(bc.after(), r.type() == EventType.BALANCE_LOW));
            }
            StoredEvent e = event(c, r);
            raised.putIfAbsent(e.eventId(), e);
        }
        balances.put(c.accountId(), next);
    }

    /** The events raised so far in this transaction, in the order they were raised. */
    public List<StoredEvent> raised() {
        return List.copyOf(raised.values());
    }

    public void write() {
        dao.insert(List.copyOf(raised.values()));
        dao.saveBalances(balances);
    }

    private static Map<CreditKind, BigDecimal> available(List<LotRow> lots) {
        Map<CreditKind, BigDecimal> sums = new EnumMap<>(CreditKind.class);
        for (CreditKind k : CreditKind.values()) {
            sums.put(k, Money.ZERO);
        }
        for (LotRow l : lots) {
            CreditKind k = l.source().type() == LotType.PLAN ? CreditKind.PLAN : CreditKind.ADDON;
            sums.merge(k, l.remaining(), BigDecimal::add);
            sums.merge(CreditKind.TOTAL, l.remaining(), BigDecimal::add);
        }
        return sums;
    }

    /** Every lot with credits left, with the forecast of what it leaves unused and whether it was announced. */
    private List<ExpiringLot> expiringLots(AccountChange c, BigDecimal burn) {
        Runway runway = burn.signum() <= 0 ? null : Runway.of(c.at(), burn,
                Forecasts.inDrawOrder(rules, c.accountId(), c.realm(), c.plan(), c.at(), c.available()));
        Set<String> subjects = new HashSet<>();
        List<ExpiringLot> out = new ArrayList<>();
        for (LotRow l : c.available()) {
            long hours = Duration.between(c.at(), l.expiresAt()).toHours();
            BigDecimal unused = runway == null ? l.remaining() : runway.unusedOf(l.lotId());
            out.add(new ExpiringLot(l.lotId(), l.source().type(), l.remaining(), l.expiresAt(), hours, unused, false));
            subjects.add(out.get(out.size() - 1).subject());
        }
        String type = EventType.CREDITS_EXPIRING.wire();
        Set<String> announced = new HashSet<>(reads.announced(c.accountId(), subjects));
        raised.values().stream().filter(e -> e.accountId().equals(c.accountId()) && e.type().equals(type))
                .forEach(e -> announced.add(e.subject()));
        return out.stream().map(x -> announced.contains(x.subject()) ? new ExpiringLot(x.lotId(), x.type(),
                x.remaining(), x.expiresAt(), x.hoursLeft(), x.forecastUnused(), true) : x).toList();
    }

    /** The event's id is a hash of the change and what the event is about: the same change gives the same id. */
    private StoredEvent event(AccountChange c, Raise r) {
        String id = "evt_" + Sha256.hex(String.join("\n", c.accountId(), c.kind(), c.ref(), r.type().wire(),
                r.about().subject())).substring(0, 32);
        Map<String, Object> data = new LinkedHashMap<>(r.about().data());
        if (r.threshold() != null) {
            data.put("threshold", r.threshold());
        }
        return new StoredEvent(0, id, c.accountId(), c.realm(), r.type().wire(), r.about().subject(), c.at(),
                rules.version(), EventJson.data(data), clock.instant());
    }
}

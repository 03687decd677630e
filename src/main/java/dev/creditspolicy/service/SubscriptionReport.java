package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.creditspolicy.events.Forecasts;
import dev.creditspolicy.events.Runway;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.PlanChangeRow;
import dev.creditspolicy.store.Rows.VoidRow;
import dev.creditspolicy.store.Store;

/**
 * What the Usage page and the {@code usage} command show beside the balance (issue 16): the plan and the current
 * cycle at an instant, each credit type's soonest expiry, and the plan changes with the lot expiries they changed,
 * so a lot whose actual expiry differs from the first estimate can say why. Read-only; no policy is decided here.
 */
public final class SubscriptionReport {
    /** The cycle in force: its plan lot, its start and end as granted, and when it actually ends (an upgrade may end it sooner). */
    public record Cycle(String lotId, Plan plan, Instant start, Instant end, Instant endsAt) {
    }

    /** The soonest instant at which available credits of a type expire, and how many expire then. */
    public record SoonestExpiry(Instant expiresAt, BigDecimal amount) {
    }

    public record PlanChangeRef(long id, Plan fromPlan, Plan toPlan, PlanChangeKind kind, Instant at) {
    }

    /**
     * A lot's expiry moved: from when to when, why (the cause as recorded, the rule) and the plan change that did it
     * (null for a void).
     */
    public record LotExpiryChange(String lotId, Instant oldExpiresAt, Instant newExpiresAt, String cause, String rule,
                                  Long planChangeId) {
    }

    public record SubscriptionView(String accountId, Realm realm, Instant at, Plan plan, Cycle cycle,
                                   Map<LotType, SoonestExpiry> soonestExpiry, List<PlanChangeRef> planChanges,
                                   List<LotExpiryChange> expiryChanges, Runway runway) {
    }

    private final Store store;
    private final PolicyEngine engine;
    private final Clock clock;

    public SubscriptionReport(Store store, PolicyEngine engine, Clock clock) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
    }

    /** The account at {@code at} (default: now). Plan changes and their expiry changes oldest first, then voids. */
    public SubscriptionView at(String accountId, Instant at) {
        Instant t = at != null ? at : clock.instant();
        return store.inTransaction(tx -> {
            AccountRow account = Accounts.find(tx, accountId);
            Plan plan = PlanHistory.of(tx, accountId).at(t);
            // what is in force at t only (bounded by the active-lots limit), never the account's history of lots
            // and what open holds reserve taken out, once, for the soonest expiry and the runway
            List<LotRow> available = Holdings.subtract(tx.lots().activeAt(accountId, t),
                    tx.holds().heldAt(accountId, t, null), true);
            List<PlanChangeRef> changes = new ArrayList<>();
            List<LotExpiryChange> expiries = new ArrayList<>();
            List<PlanChangeRow> rows = new ArrayList<>(tx.planChanges().ofAccount(accountId));
            rows.sort(Comparator.comparing(PlanChangeRow::changedAt).thenComparing(PlanChangeRow::changeId));
            for (PlanChangeRow r : rows) {
                changes.add(new PlanChangeRef(r.changeId(), r.fromPlan(), r.toPlan(), r.kind(), r.changedAt()));
                tx.planChanges().expiryChanges(r.changeId()).forEach(c -> expiries.add(new LotExpiryChange(
                        c.lotId(), c.oldExpiresAt(), c.newExpiresAt(), c.cause(), c.ruleName(), r.changeId())));
            }
            // a void is an expiry change too (cause VOID and its reason), with no plan change behind it
            tx.corrections().voidsOfAccount(accountId).stream().filter(VoidRow::changed).forEach(v -> expiries.add(
                    new LotExpiryChange(v.lotId(), v.oldExpiresAt(), v.newExpiresAt(), "VOID: " + v.reason(),
                            v.ruleName(), null)));
            return new SubscriptionView(accountId, account.realm(), t, plan,
                    cycleAt(tx.lots().planLotsAt(accountId, t), t),
                    soonestExpiry(available), changes, expiries, Forecasts.at(tx, engine.current(), accountId,
                            account.realm(), plan, t, available));
        });
    }

    /** The plan lot in force at {@code t} (the latest to start, should cycles overlap); null between cycles. */
    private static Cycle cycleAt(List<LotRow> lots, Instant t) {
        return lots.stream()
                .filter(l -> l.source() == LotSource.PLAN && !l.effectiveAt().isAfter(t) && t.isBefore(l.expiresAt()))
                .max(Comparator.comparing(LotRow::effectiveAt).thenComparing(LotRow::lotId))
                .map(l -> new Cycle(l.lotId(), l.plan(), l.effectiveAt(), l.initialExpiresAt(), l.expiresAt()))
                .orElse(null);
    }

    /** Per type, among the lots active at the instant with credits available (what open holds reserve taken out). */
    private static Map<LotType, SoonestExpiry> soonestExpiry(List<LotRow> available) {
        Map<LotType, SoonestExpiry> soonest = new EnumMap<>(LotType.class);
        for (LotType type : LotType.values()) {
            soonest.put(type, null);
        }
        for (LotRow l : available) {
            LotType type = l.source().type();
            SoonestExpiry s = soonest.get(type);
            if (s == null || l.expiresAt().isBefore(s.expiresAt())) {
                soonest.put(type, new SoonestExpiry(l.expiresAt(), l.remaining()));
            } else if (l.expiresAt().equals(s.expiresAt())) {
                soonest.put(type, new SoonestExpiry(s.expiresAt(), s.amount().add(l.remaining())));
            }
        }
        return soonest;
    }
}

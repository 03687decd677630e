package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.paging.Cursor;
import dev.creditspolicy.paging.Page;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.facts.Draw;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.events.Forecasts;
import dev.creditspolicy.service.Views.BalanceView;
import dev.creditspolicy.service.Views.CreditsLogEntry;
import dev.creditspolicy.service.Views.LotView;
import dev.creditspolicy.service.Views.UsageGroup;
import dev.creditspolicy.service.Views.DecisionEntry;
import dev.creditspolicy.service.Views.UsageSummary;
import dev.creditspolicy.store.UsageDao;
import dev.creditspolicy.store.UsageDao.DecisionFilter;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.VoidRow;
import dev.creditspolicy.store.Store;

/** Read-only views: balance, lots, credits log, usage details. Nothing here writes. */
public final class ReportService {
    public static final List<String> GROUP_BY = List.of("product", "feature", "model", "day");

    private final Store store;
    private final PolicyEngine engine;
    private final Clock clock;

    public ReportService(Store store, PolicyEngine engine, Clock clock) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
    }

    /**
     * Credits available at {@code at} (default: now). With a product, only the lots the sharing rules let that
     * product use at {@code at}, under the plan the account is on at {@code at}.
     */
    public BalanceView balance(String accountId, Instant at, Product product) {
        Instant t = at != null ? at : clock.instant();
        return store.inTransaction(tx -> {
            AccountRow account = Accounts.find(tx, accountId);
            // eligibility is judged on the lots as they stand; what open holds reserve is then taken out
            List<LotRow> active = tx.lots().activeAt(accountId, t);
            List<Lot> lots = active.stream().map(LotRow::toFact).toList();
            Plan plan = PlanHistory.of(tx, accountId).at(t);
            RuleSet rules = engine.current();
            if (product != null) {
                lots = rules.eligibleLots(new Draw(accountId, account.realm(), plan, product, t), lots);
            }
            Map<String, BigDecimal> reserved = tx.holds().heldAt(accountId, t, null);
            Map<LotType, BigDecimal> byType = new EnumMap<>(LotType.class);
            for (LotType type : LotType.values()) {
                byType.put(type, Money.ZERO);
            }
            BigDecimal total = Money.ZERO;
            BigDecimal held = Money.ZERO;
            for (Lot lot : lots) {
                BigDecimal h = reserved.getOrDefault(lot.getLotId(), Money.ZERO).min(lot.getRemaining());
                BigDecimal available = lot.getRemaining().subtract(h);
                byType.merge(lot.getType(), available, BigDecimal::add);
                total = total.add(available);
                held = held.add(h);
            }
            return new BalanceView(accountId, t, product, total, Money.of(held), byType,
                    Forecasts.at(tx, rules, accountId, account.realm(), plan, t,
                            Holdings.subtract(active, reserved, true)));
        });
    }

    /**
     * A page of the account's lots, newest effective date first, with what remains and its actual expiry; {@code
     * active} is judged at {@code at}.
     */
    public Page<LotView> lots(String accountId, Instant at, PageRequest page) {
        Instant t = at != null ? at : clock.instant();
        return store.inTransaction(tx -> {
            Accounts.find(tx, accountId);
            Page<LotRow> rows = Page.of(tx.lots().page(accountId, page), page,
                    r -> new Cursor(r.effectiveAt(), r.lotId()));
            Map<String, VoidRow> voids = expiringVoids(tx, rows.items().stream().map(LotRow::lotId).toList());
            return rows.map(r -> LotView.of(r, t, voids.get(r.lotId())));
        });
    }

    /** Per lot, the void that set its expiry (the changing void with the earliest instant), if one did. */
    static Map<String, VoidRow> expiringVoids(Store.Tx tx, List<String> lotIds) {
        Map<String, VoidRow> byLot = new java.util.HashMap<>();
        for (VoidRow v : tx.corrections().voidsOfLots(lotIds)) { // newest instant first
            if (v.changed()) {
                byLot.put(v.lotId(), v);
            }
        }
        return byLot;
    }

    /** A page of the account's acquisitions, newest effective date first. */
    public Page<CreditsLogEntry> creditsLog(String accountId, PageRequest page) {
        return store.inTransaction(tx -> {
            Accounts.find(tx, accountId);
            return Page.of(tx.lots().creditsLog(accountId, page), page,
                    r -> new Cursor(r.effectiveAt(), r.entryId().toString())).map(CreditsLogEntry::of);
        });
    }

    /**
     * The per-call ledger (SPEC section 9): a page of the account's decisions, usage and hold commits, newest
     * occurredAt first, each as {@code GET /v1/usage/{requestId}} answers it, with its call's time, product,
     * feature and model.
     */
    public Page<DecisionEntry> decisions(String accountId, DecisionFilter filter, PageRequest page) {
        return store.inTransaction(tx -> {
            Accounts.find(tx, accountId);
            Page<DecisionRow> rows = Page.of(tx.usage().page(accountId, filter, page), page,
                    r -> new Cursor(r.occurredAt(), r.requestId()));
            return new Page<>(DecisionRecords.entries(tx, rows.items()), rows.next());
        });
    }

    /** Usage decisions with occurredAt in [from, to), grouped; days are calendar days in {@code zone}. */
    public UsageSummary usage(String accountId, Instant from, Instant to, String groupBy, ZoneId zone) {
        return usage(accountId, from, to, groupBy, zone, null);
    }

    /**
     * The same, counting only the calls of {@code products} (null: every product), as the Usage page lists them.
     * The database aggregates (by key, status and reversal); memory holds the groups (for days: the quarter hours
     * of the range that had calls are folded into their days as they stream), never the decisions.
     */
    public UsageSummary usage(String accountId, Instant from, Instant to, String groupBy, ZoneId zone,
                              Set<Product> products) {
        Instant f = from != null ? from : Instant.EPOCH;
        Instant t = to != null ? to : Instant.parse("9999-01-01T00:00:00Z");
        String by = groupBy == null ? "product" : groupBy;
        if (!GROUP_BY.contains(by)) {
            throw Problem.invalid("groupBy", "unknown groupBy '" + by + "'; allowed: " + String.join(", ", GROUP_BY));
        }
        String grouping = !by.equals("day") ? by : QuarterHours.whole(zone, f, t) ? "quarter-hour" : "second";
        Instant now = clock.instant();
        Map<String, long[]> counts = new TreeMap<>(); // calls, charged, exempt, insufficient, reversed
        Map<String, BigDecimal[]> credits = new TreeMap<>(); // charged, reversed
        Views.OpenHolds open = store.inTransaction(tx -> {
            Accounts.find(tx, accountId);
            tx.usage().report(accountId, f, t, products, grouping, c -> {
                String key = by.equals("day") ? Instant.parse(c.key()).atZone(zone).toLocalDate().toString()
                        : c.key();
                long[] n = counts.computeIfAbsent(key, k -> new long[5]);
                BigDecimal[] cr = credits.computeIfAbsent(key, k -> new BigDecimal[] {Money.ZERO, Money.ZERO});
                n[0] += c.calls();
                if (c.reversed()) { // a reversed charge counts as reversed, not charged
                    n[4] += c.calls();
                    cr[1] = cr[1].add(c.charged());
                } else {
                    n[1] += c.status() == Status.CHARGED ? c.calls() : 0;
                    cr[0] = cr[0].add(c.charged());
                }
                if (c.status() == Status.EXEMPT) {
                    n[2] += c.calls();
                } else if (c.status() == Status.INSUFFICIENT) {
                    n[3] += c.calls();
                }
            });
            var held = tx.holds().heldAt(accountId, now, null).values();
            return new Views.OpenHolds(now, tx.holds().openCount(accountId, now),
                    Money.of(held.stream().reduce(Money.ZERO, BigDecimal::add)));
        });
        List<UsageGroup> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(new UsageGroup(k, n[0], n[1], n[2], n[3], Money.of(credits.get(k)[0]),
                n[4], Money.of(credits.get(k)[1]))));
        return new UsageSummary(accountId, from, to, by, out, open);
    }
}

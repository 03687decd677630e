package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.policy.facts.HoldExpired;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.service.Snapshot.Sight;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.PlanPeriodRow;
import dev.creditspolicy.store.Store.Tx;

/**
 * The one way the decision pipeline reads an account: {@link Snapshot}s, inside the request's transaction and under
 * the account's lock when it may draw. A request reads as it goes ({@link #reading}); a usage batch reads its
 * accounts' plan histories, payable lots and which of them have open holds once ({@link #preload}), and keeps what
 * its decisions draw in memory ({@link #draw}), so that each call sees the calls before it.
 */
final class Snapshots {
    private final Tx tx;
    /** A batch's reads, or null where each load reads for itself. */
    private final Map<String, List<PlanPeriodRow>> plans;
    /** Each account's payable lots by lot id, with what the batch has drawn so far taken out. */
    private final Map<String, Map<String, LotRow>> lots;
    private final Set<String> withOpenHolds;

    private Snapshots(Tx tx, Map<String, List<PlanPeriodRow>> plans, Map<String, Map<String, LotRow>> lots,
                      Set<String> withOpenHolds) {
        this.tx = tx;
        this.plans = plans;
        this.lots = lots;
        this.withOpenHolds = withOpenHolds;
    }

    static Snapshots reading(Tx tx) {
        return new Snapshots(tx, null, null, null);
    }

    /** A batch's reads of these (locked) accounts, for calls dated in [from, to]; none when there are none. */
    static Snapshots preload(Tx tx, Set<String> accountIds, Instant from, Instant to) {
        if (accountIds.isEmpty()) {
            return new Snapshots(tx, Map.of(), new HashMap<>(), Set.of());
        }
        Map<String, List<PlanPeriodRow>> plans = tx.accounts().planHistories(accountIds);
        Map<String, Map<String, LotRow>> lots = new HashMap<>();
        for (LotRow l : tx.lots().payableBetween(accountIds, from, to)) {
            lots.computeIfAbsent(l.accountId(), a -> new LinkedHashMap<>()).put(l.lotId(), l);
        }
        return new Snapshots(tx, plans, lots, tx.holds().accountsWithOpenHolds(accountIds));
    }

    /**
     * The account at {@code at} as {@code sight} sees it. Only a request that may draw marks holds expired (it runs
     * under the account's lock); an account a batch found without open holds needs no hold statement at all.
     */
    Snapshot load(AccountRow account, Instant at, Sight sight) {
        String id = account.accountId();
        boolean holds = mayHoldAny(id);
        List<HoldExpired> expired = sight.draws() && holds ? Accounts.expired(tx.holds().expireUpTo(id, at))
                : List.of();
        Plan plan = (plans == null ? PlanHistory.of(tx, id) : new PlanHistory(plans.get(id))).at(at);
        Map<String, BigDecimal> held = holds ? tx.holds().heldAt(id, at, sight.settling()) : Map.of();
        List<LotRow> available = Holdings.subtract(sight.explains() ? tx.lots().ofAccount(id) : payable(id, at), held,
                !sight.explains());
        List<Allocation> settled = sight.settling() == null ? List.of() : stillHeld(id, at, sight.settling());
        return new Snapshot(account, at, plan, available, settled, expired);
    }

    /** The lots a batch read at its start (none for a single request's reads). */
    List<LotRow> preloaded() {
        return lots == null ? List.of() : lots.values().stream().flatMap(m -> m.values().stream()).toList();
    }

    /** Whether the account may have open holds (a batch read which have; a single request asks each time). */
    boolean mayHoldAny(String accountId) {
        return withOpenHolds == null || withOpenHolds.contains(accountId);
    }

    private List<LotRow> payable(String accountId, Instant at) {
        return lots == null ? tx.lots().activeAt(accountId, at)
                : lots.getOrDefault(accountId, Map.of()).values().stream().filter(l -> l.payableAt(at)).toList();
    }

    /**
     * What the settled hold still reserves: its allocations, less the parts a void dated at or before {@code at}
     * released (corrections.drl); the commit draws those as excess.
     */
    private List<Allocation> stillHeld(String accountId, Instant at, String holdId) {
        var releasedByVoids = tx.corrections().lotsReleasedFromHolds(accountId, at);
        return tx.holds().allocations(holdId).stream().filter(a -> !releasedByVoids.contains(a.lotId()))
                .map(a -> new Allocation(a.lotId(), a.lotType(), a.amount())).toList();
    }

    /** A batch's decision drew these: taken out of its in-memory lots before the next call is decided. */
    void draw(String accountId, List<Allocation> allocations) {
        Map<String, LotRow> accountLots = lots.get(accountId);
        for (Allocation a : allocations) {
            LotRow lot = accountLots == null ? null : accountLots.get(a.lotId());
            if (lot == null || lot.remaining().compareTo(a.amount()) < 0) {
                // the rules drew on a lot they were not given, or beyond it: roll back rather than overdraw
                throw new IllegalStateException("lot " + a.lotId() + " holds less than " + a.amount());
            }
            accountLots.put(a.lotId(), Holdings.withRemaining(lot, lot.remaining().subtract(a.amount())));
        }
    }
}

package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.Timer;

import dev.creditspolicy.events.EventRecorder;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.facts.HoldExpired;
import dev.creditspolicy.service.BatchRunner.Outcome;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.Decider.Call;
import dev.creditspolicy.service.Decider.Decided;
import dev.creditspolicy.service.Snapshot.Sight;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.ExplainedDecision;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.AllocationRow;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Rows.EventKind;
import dev.creditspolicy.store.Rows.EventRow;
import dev.creditspolicy.store.Rows.PriceRow;
import dev.creditspolicy.store.Store.Tx;

/**
 * One usage batch's transaction (what the usage service's {@link BatchRunner} runs): the accounts locked in one
 * statement, then one read each of the stored decisions and hold ids among the batch's request ids and of what the
 * accounts' snapshots are made of ({@link Snapshots#preload}); the requests decided in order by the {@link Decider},
 * each over a snapshot that has the draws of the ones before it taken out; then one batched write per table.
 */
final class UsageBatch {
    private final Tx tx;
    private final List<Usage> cmds;
    private final Decider decider;
    private final Clock clock;
    private final boolean explain;
    private final Map<String, AccountRow> accounts = new HashMap<>();
    private final Map<String, DecisionRow> stored;
    private final Set<String> holdIds;
    private final Snapshots snapshots;
    /** The requests this batch has decided, by id: a repeat later in the batch is a replay of them. */
    private final Map<String, InBatch> decided = new HashMap<>();
    private final List<DecisionRow> decisionRows = new ArrayList<>();
    private final Map<String, BigDecimal> drawn = new LinkedHashMap<>();
    private final List<AllocationRow> allocationRows = new ArrayList<>();
    private final Map<String, PriceRow> priceRows = new LinkedHashMap<>();
    private final List<EventRow> events = new ArrayList<>();
    /** The events each decision raises (alerts.drl), written with the batch; holds found expired per account. */
    private final EventRecorder alerts;
    private final Map<String, List<HoldExpired>> expiredHolds = new HashMap<>();

    private record InBatch(UsageDecision decision, String hash) {
    }

    /** @param rulesTime measures the rules' evaluation of each call */
    UsageBatch(Tx tx, List<Usage> cmds, RuleSet rules, Timer rulesTime, Clock clock, boolean explain) {
        this.tx = tx;
        this.cmds = cmds;
        this.decider = new Decider(rules, rulesTime);
        this.clock = clock;
        this.explain = explain;
        this.alerts = new EventRecorder(tx, rules, clock);
        Set<String> accountIds = new TreeSet<>();
        Set<String> requestIds = new HashSet<>();
        Instant from = null;
        Instant to = null;
        for (Usage c : cmds) {
            accountIds.add(c.accountId());
            requestIds.add(c.requestId());
            from = from == null || c.occurredAt().isBefore(from) ? c.occurredAt() : from;
            to = to == null || c.occurredAt().isAfter(to) ? c.occurredAt() : to;
        }
        tx.accounts().lockAll(accountIds).forEach(a -> accounts.put(a.accountId(), a));
        this.stored = tx.usage().findAll(requestIds);
        requestIds.removeAll(stored.keySet());
        this.holdIds = requestIds.isEmpty() ? Set.of() : tx.holds().existing(requestIds);
        this.snapshots = Snapshots.preload(tx, accounts.keySet(), from, to);
        alerts.foresee(accounts.keySet(), from, to, cmds.stream().filter(c -> accounts.containsKey(c.accountId()))
                .map(c -> Map.entry(c.accountId(), c.occurredAt())).toList(), snapshots.preloaded());
    }

    List<Outcome<ExplainedDecision>> run() {
        List<Outcome<ExplainedDecision>> outcomes = new ArrayList<>(cmds.size());
        for (Usage cmd : cmds) {
            outcomes.add(one(cmd));
        }
        write();
        return outcomes;
    }

    private Outcome<ExplainedDecision> one(Usage cmd) {
        AccountRow account = accounts.get(cmd.accountId());
        if (account == null) {
            return Outcome.failed(Problem.unknownAccount(cmd.accountId()));
        }
        Usage canonical = EarlierDecisions.canonical(cmd, account);
        try {
            UsageDecision earlier = earlier(canonical);
            if (earlier != null) {
                return Outcome.of(new Answer<>(new ExplainedDecision(earlier, null, account.realm()), true));
            }
            Accounts.checkRealm(cmd.realm(), account);
        } catch (Problem p) {
            return Outcome.failed(p);
        }
        Snapshot s = snapshots.load(account, cmd.occurredAt(), new Sight(true, explain, null));
        if (snapshots.mayHoldAny(account.accountId())) {
            expiredHolds.computeIfAbsent(account.accountId(), a -> new ArrayList<>()).addAll(s.expired());
        }
        Decided d;
        try {
            d = explain ? decider.explain(s, Call.of(cmd)) : decider.decide(s, Call.of(cmd));
        } catch (RuntimeException e) {
            // the rules refused or failed this request alone (no database work happens while deciding)
            return Outcome.failed(e);
        }
        String hash = RequestHash.of(canonical);
        decided.put(cmd.requestId(), new InBatch(d.decision(), hash));
        take(cmd, s, d.decision(), hash);
        return Outcome.of(new Answer<>(new ExplainedDecision(d.decision(), d.explanation(), account.realm()), false));
    }

    /** The stored (or earlier in this batch) decision for this request id, or null; another body: conflict. */
    private UsageDecision earlier(Usage cmd) {
        InBatch inBatch = decided.get(cmd.requestId());
        if (inBatch == null) {
            return EarlierDecisions.earlier(tx, cmd, stored.get(cmd.requestId()), holdIds.contains(cmd.requestId()));
        }
        if (!RequestHash.matches(inBatch.hash(), cmd)) {
            throw EarlierDecisions.conflictingBody(cmd);
        }
        return inBatch.decision();
    }

    /** The decision's rows, to be written with the batch; its draws taken out of the in-memory lots. */
    private void take(Usage cmd, Snapshot s, UsageDecision decision, String hash) {
        AccountRow account = s.account();
        String accountId = account.accountId();
        DecisionRows rows = DecisionRows.of(cmd.requestId(), accountId, account.realm(), cmd.product(),
                cmd.feature(), cmd.model(), cmd.outcome(), cost(cmd, decision), cmd.occurredAt(), s.plan(),
                decision, hash, clock.instant(), cmd.tokens());
        snapshots.draw(accountId, decision.allocations());
        decisionRows.add(rows.decision());
        allocationRows.addAll(rows.allocations());
        rows.drawn().forEach((lot, amount) -> drawn.merge(lot, amount, BigDecimal::add));
        if (rows.price() != null) {
            priceRows.put(cmd.requestId(), rows.price());
        }
        events.add(new EventRow(null, accountId, EventKind.USAGE, cmd.requestId(), clock.instant()));
        alerts.charged(accountId, cmd.occurredAt(), decision.charged());
        Snapshot after = snapshots.load(account, cmd.occurredAt(), Sight.READ);
        alerts.changed(after.change(EventKind.USAGE.name(), cmd.requestId(),
                expiredHolds.getOrDefault(accountId, List.of())));
        expiredHolds.remove(accountId);
    }

    /** One round trip per table for the whole batch. */
    private void write() {
        tx.usage().insertAll(decisionRows);
        DecisionRows.deducted(tx.lots().deductAll(drawn));
        tx.usage().insertAllocations(allocationRows);
        tx.prices().insertUsages(priceRows);
        tx.accounts().insertEvents(events);
        // holds a refused request found expired are announced on their own, at the latest of their expiries
        expiredHolds.forEach((accountId, expired) -> {
            if (!expired.isEmpty()) {
                Instant at = expired.stream().map(HoldExpired::expiresAt).max(Instant::compareTo).orElseThrow();
                alerts.changed(snapshots.load(accounts.get(accountId), at, Sight.READ).change("HOLD_EXPIRY",
                        expired.get(0).holdId(), expired));
            }
        });
        alerts.write();
    }

    /** What the call cost: its credits, or the price the rules made of its tokens. */
    private static BigDecimal cost(Usage cmd, UsageDecision decision) {
        return decision.price() != null ? decision.price().credits() : cmd.credits();
    }
}

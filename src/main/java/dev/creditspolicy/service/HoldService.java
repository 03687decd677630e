package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.Deduction;
import dev.creditspolicy.ledger.HoldSettlement;
import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.SettlementVerdicts;
import dev.creditspolicy.policy.UsageVerdict;
import dev.creditspolicy.policy.facts.ExcessPolicy;
import dev.creditspolicy.policy.facts.HoldExcess;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.policy.facts.UsageCall;
import dev.creditspolicy.service.Commands.Commit;
import dev.creditspolicy.service.Commands.Hold;
import dev.creditspolicy.service.Commands.HoldCommand;
import dev.creditspolicy.service.Commands.Release;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.CommitView;
import dev.creditspolicy.service.Views.HoldView;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Rows.EventKind;
import dev.creditspolicy.store.Rows.HoldAllocationRow;
import dev.creditspolicy.store.Rows.HoldRow;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.PriceRow;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.store.Store.Tx;

/**
 * Holds (SPEC section 6): reserve, commit, release. Each runs under the account's row lock, the lock usage takes, so
 * holds, commits and usage calls of one account are serialised; in its own transaction, or, with group commit, in
 * one transaction with the others waiting (each under a savepoint). The rules decide as for a
 * usage call; Java applies. Reading holds back lives in {@link HoldViews}.
 */
public final class HoldService {
    public static final int TTL_DEFAULT_SECONDS = 900;
    public static final int TTL_MAX_SECONDS = 86_400;

    private static final Logger log = LoggerFactory.getLogger(HoldService.class);

    private final Store store;
    private final PolicyEngine engine;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Counter fallbacks;
    private volatile GroupCommit<HoldCommand, HoldOutcome> batcher;

    public HoldService(Store store, PolicyEngine engine, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.meters = meters;
        this.fallbacks = meters.counter("credits.holds.batch.fallbacks");
        this.engine = engine;
        this.clock = clock;
    }

    /** Reserves the credits, or answers INSUFFICIENT holding nothing; the same body again answers the first. */
    public Answer<HoldView> hold(Hold cmd) {
        return run(cmd).answer();
    }

    /** Settles the hold as a usage decision under the hold's id. */
    public Answer<CommitView> commit(Commit cmd) {
        return run(cmd).answer();
    }

    /** Cancels the hold: everything it reserved goes back. */
    public Answer<HoldView> release(Release cmd) {
        return run(cmd).answer();
    }

    /** What one hold request of a batch got: its answer, or the exception it would have got alone. */
    public record HoldOutcome(Answer<?> answered, RuntimeException failure) {
        /** The answer, or the request's own exception thrown in the caller's thread. */
        @SuppressWarnings("unchecked")
        <T> Answer<T> answer() {
            if (failure != null) {
                throw failure;
            }
            return (Answer<T>) answered;
        }
    }

    /**
     * Starts group commit for holds, commits and releases: from now on each waits for one of {@code writers} writer
     * threads, which run up to {@code maxBatch} waiting requests per transaction ({@link #runAll}).
     */
    public synchronized GroupCommit<HoldCommand, HoldOutcome> startBatching(int writers, int maxBatch) {
        if (batcher != null) {
            throw new IllegalStateException("hold batching already runs");
        }
        batcher = new GroupCommit<>("hold", this::runAll, writers, maxBatch, meters, "credits.holds.batch.size",
                "hold, commit and release requests run in one transaction", this::detach);
        return batcher;
    }

    private synchronized void detach(GroupCommit<?, ?> closed) {
        if (batcher == closed) {
            batcher = null;
        }
    }

    private HoldOutcome run(HoldCommand cmd) {
        GroupCommit<HoldCommand, HoldOutcome> running = batcher;
        return running != null ? running.submit(cmd) : runAll(List.of(cmd)).get(0);
    }

    /**
     * Runs several hold requests in one transaction, in the list's order, each as if alone: the accounts they touch
     * are locked first, in one ordered statement (as a usage batch does: no deadlock between batches), and each
     * request runs under a savepoint, so one refused (a conflict, an unknown hold, a settled or expired one, an
     * unknown model) gets its own problem and leaves no write behind, while the others keep theirs. When the
     * transaction fails (a database error past Store's retries), every request is tried again alone.
     */
    public List<HoldOutcome> runAll(List<HoldCommand> cmds) {
        try {
            return store.inTransaction(tx -> {
                if (cmds.size() == 1) {
                    return List.of(new HoldOutcome(apply(tx, cmds.get(0)), null));
                }
                lockAccounts(tx, cmds);
                List<HoldOutcome> outcomes = new ArrayList<>(cmds.size());
                for (int i = 0; i < cmds.size(); i++) {
                    HoldCommand cmd = cmds.get(i);
                    try {
                        outcomes.add(new HoldOutcome(tx.undoneIfItFails("hold_request_" + i, () -> apply(tx, cmd)),
                                null));
                    } catch (RuntimeException e) {
                        if (Store.sqlState(e) != null) {
                            throw e; // the database's, not the request's: the whole batch is retried or run apart
                        }
                        outcomes.add(new HoldOutcome(null, e));
                    }
                }
                return outcomes;
            });
        } catch (RuntimeException e) {
            if (cmds.size() == 1) {
                return List.of(new HoldOutcome(null, e));
            }
            fallbacks.increment();
            log.warn("hold batch of {} requests failed ({}); trying each alone", cmds.size(), e.toString());
            return cmds.stream().map(c -> runAll(List.of(c)).get(0)).toList();
        }
    }

    /** The accounts of the batch's requests (a commit's or release's: its hold's), locked in account-id order. */
    private static void lockAccounts(Tx tx, List<HoldCommand> cmds) {
        Set<String> accounts = new TreeSet<>();
        List<String> settled = new ArrayList<>();
        for (HoldCommand cmd : cmds) {
            if (cmd instanceof Hold h) {
                accounts.add(h.accountId());
            } else {
                settled.add(cmd.holdId());
            }
        }
        if (!settled.isEmpty()) {
            accounts.addAll(tx.holds().accountsOf(settled));
        }
        tx.accounts().lockAll(accounts);
    }

    private Answer<?> apply(Tx tx, HoldCommand cmd) {
        if (cmd instanceof Hold h) {
            return hold(tx, h);
        }
        return cmd instanceof Commit c ? commit(tx, c) : release(tx, (Release) cmd);
    }

    private Answer<HoldView> hold(Tx tx, Hold cmd) {
        AccountRow account = Accounts.lock(tx, cmd.accountId());
        Hold canonical = canonical(cmd, account);
        var existing = tx.holds().find(cmd.holdId());
        if (existing.isPresent()) {
            if (!RequestHash.matches(existing.get().requestHash(), canonical)) {
                throw Problem.conflict("holdId", "hold '" + cmd.holdId() + "' was already made for another body");
            }
            return new Answer<>(HoldViews.answered(tx, existing.get()), true);
        }
        if (tx.usage().find(cmd.holdId()).isPresent()) {
            throw Problem.conflict("holdId", "hold id '" + cmd.holdId() + "' is already a usage request id");
        }
        UsageService.checkRealm(new Usage(cmd.holdId(), cmd.accountId(), cmd.realm(), cmd.product(),
                cmd.feature(), cmd.model(), Outcome.SUCCEEDED, cmd.credits(), cmd.occurredAt()), account);
        var expired = Accounts.expired(tx.holds().expireUpTo(account.accountId(), cmd.occurredAt()));
        Plan plan = PlanHistory.of(tx, account.accountId()).at(cmd.occurredAt());
        UsageCall call = new UsageCall(cmd.holdId(), account.accountId(), account.realm(), plan, cmd.product(),
                cmd.feature(), cmd.model(), Outcome.SUCCEEDED, cmd.credits(), cmd.occurredAt());
        List<LotRow> lots = Holdings.availableAt(tx, account.accountId(), cmd.occurredAt(), null);
        UsageVerdict verdict = engine.current().evaluateUsage(call, lots.stream().map(LotRow::toFact).toList(),
                Pricing.question(cmd.model(), cmd.feature(), cmd.occurredAt(), cmd.tokens()));
        Pricing.refuseUnpriced(verdict, cmd.model(), cmd.occurredAt());
        // a hold is decided as the successful call it is for would be: no partial hold
        UsageDecision d = Deduction.decide(call, verdict);
        boolean held = d.status() != Status.INSUFFICIENT;
        Reason reason = d.status() == Status.CHARGED ? Reason.HELD : d.reason();
        HoldRow row = new HoldRow(cmd.holdId(), account.accountId(), account.realm(), cmd.product(),
                cmd.feature(), cmd.model(), Deduction.cost(call, verdict), cmd.occurredAt(), canonical.ttlSeconds(),
                cmd.occurredAt().plusSeconds(canonical.ttlSeconds()), plan, held ? "HELD" : "INSUFFICIENT",
                reason, d.charged(), d.shortfall(), d.balanceAfter(), d.rulesVersion(),
                String.join("\n", d.firedRules()), RequestHash.of(canonical), clock.instant(),
                held ? "OPEN" : "INSUFFICIENT", null, null, null);
        tx.holds().insert(row);
        List<HoldAllocationRow> allocations = new ArrayList<>();
        for (Allocation a : d.allocations()) {
            allocations.add(new HoldAllocationRow(cmd.holdId(), allocations.size() + 1, a.lotId(), a.type(),
                    a.amount()));
        }
        tx.holds().insertAllocations(allocations);
        PriceRow price = Pricing.row(cmd.tokens(), d);
        if (price != null) {
            tx.prices().insertHold(cmd.holdId(), price);
        }
        Accounts.changed(tx, engine.current(), clock, account, EventKind.HOLD, cmd.holdId(), cmd.occurredAt(),
                expired);
        return new Answer<>(HoldViews.answered(tx, row, d.allocations()), false);
    }

    private Answer<CommitView> commit(Tx tx, Commit cmd) {
        Locked locked = lockedHold(tx, cmd.holdId());
        HoldRow hold = locked.hold();
        if (hold.state().equals("COMMITTED")) {
            DecisionRow stored = tx.usage().find(hold.holdId()).orElseThrow();
            if (!RequestHash.matches(stored.requestHash(), cmd)) {
                throw Problem.conflict("holdId", "hold '" + cmd.holdId() + "' was committed with another body");
            }
            return new Answer<>(new CommitView(UsageService.stored(tx, stored), hold.released()), true);
        }
        checkSettleable(hold, cmd.occurredAt());
        AccountRow account = locked.account();
        var expired = Accounts.expired(tx.holds().expireUpTo(account.accountId(), cmd.occurredAt()));
        RuleSet rules = engine.current();
        Plan plan = PlanHistory.of(tx, account.accountId()).at(cmd.occurredAt());
        UsageCall call = new UsageCall(hold.holdId(), account.accountId(), account.realm(), plan, hold.product(),
                hold.feature(), hold.model(), cmd.outcome(), cmd.credits(), cmd.occurredAt());
        List<LotRow> lots = Holdings.availableAt(tx, account.accountId(), cmd.occurredAt(), hold.holdId());
        UsageVerdict verdict = rules.evaluateUsage(call, lots.stream().map(LotRow::toFact).toList(),
                Pricing.question(hold.model(), hold.feature(), cmd.occurredAt(), cmd.tokens()));
        Pricing.refuseUnpriced(verdict, hold.model(), cmd.occurredAt());
        BigDecimal cost = Deduction.cost(call, verdict);
        // a void dated at or before the commit may have released the hold's part on its lot (corrections.drl):
        // that part is no longer held, and the commit draws it as excess
        var releasedByVoids = tx.corrections().lotsReleasedFromHolds(account.accountId(), cmd.occurredAt());
        List<Allocation> held = tx.holds().allocations(hold.holdId()).stream()
                .filter(a -> !releasedByVoids.contains(a.lotId()))
                .map(a -> new Allocation(a.lotId(), a.lotType(), a.amount())).toList();
        BigDecimal stillHeld = Money.of(held.stream().map(Allocation::amount).reduce(Money.ZERO, BigDecimal::add));
        ExcessPolicy policy = null;
        List<String> excessRules = List.of();
        if (verdict.exemption() == null && cost.compareTo(stillHeld) > 0) {
            SettlementVerdicts.ExcessVerdict excess = rules.evaluateExcess(new HoldExcess(hold.holdId(),
                    account.accountId(), plan, hold.product(), stillHeld,
                    Money.of(cost.subtract(stillHeld)), cmd.occurredAt()));
            policy = excess.policy();
            excessRules = excess.firedRules();
        }
        HoldSettlement.Settled s = HoldSettlement.commit(hold.holdId(), cost, held, verdict, policy,
                excessRules);
        String hash = RequestHash.of(cmd);
        apply(tx, hold, cmd, plan, s.decision(), hash);
        if (tx.holds().settle(hold.holdId(), "COMMITTED", cmd.occurredAt(), s.released(), hash) != 1) {
            throw new IllegalStateException("hold " + hold.holdId() + " was settled twice");
        }
        Accounts.changed(tx, rules, clock, account, EventKind.HOLD_COMMIT, hold.holdId(), cmd.occurredAt(), expired);
        return new Answer<>(new CommitView(s.decision(), s.released()), false);
    }

    private Answer<HoldView> release(Tx tx, Release cmd) {
        Locked locked = lockedHold(tx, cmd.holdId());
        HoldRow hold = locked.hold();
        if (hold.state().equals("RELEASED")) {
            if (!RequestHash.matches(hold.settleHash(), cmd)) {
                throw Problem.conflict("holdId", "hold '" + cmd.holdId() + "' was released with another body");
            }
            return new Answer<>(HoldViews.released(tx, hold), true);
        }
        checkSettleable(hold, cmd.occurredAt());
        String hash = RequestHash.of(cmd);
        if (tx.holds().settle(hold.holdId(), "RELEASED", cmd.occurredAt(), hold.held(), hash) != 1) {
            throw new IllegalStateException("hold " + hold.holdId() + " was settled twice");
        }
        Accounts.changed(tx, engine.current(), clock, locked.account(), EventKind.HOLD_RELEASE, hold.holdId(),
                cmd.occurredAt(), List.of());
        return new Answer<>(HoldViews.released(tx, tx.holds().find(hold.holdId()).orElseThrow()), false);
    }

    private record Locked(HoldRow hold, AccountRow account) {
    }

    /** The hold, read again under its account's lock (what serialises it with the account's other requests). */
    private static Locked lockedHold(Tx tx, String holdId) {
        HoldRow unlocked = tx.holds().find(holdId).orElseThrow(() -> Problem.unknownHold(holdId));
        AccountRow account = Accounts.lock(tx, unlocked.accountId());
        return new Locked(tx.holds().find(holdId).orElseThrow(), account);
    }

    /** A commit or release dated before its hold is invalid; then a settled hold, then an expired one, is refused. */
    private static void checkSettleable(HoldRow hold, java.time.Instant at) {
        if (at.isBefore(hold.occurredAt())) {
            throw Problem.invalid("occurredAt", "hold '" + hold.holdId() + "' was made at " + hold.occurredAt()
                    + "; it cannot be settled at " + at + ", before it");
        }
        if (!hold.state().equals("OPEN") && !hold.state().equals("EXPIRED")) {
            String why = hold.state().equals("INSUFFICIENT") ? "it held nothing (INSUFFICIENT): report plain usage"
                    : "it was already " + hold.state().toLowerCase();
            throw new Problem(Problem.HOLD_SETTLED, "Hold already settled", "hold '" + hold.holdId() + "': " + why,
                    "holdId", null);
        }
        if (hold.state().equals("EXPIRED") || !at.isBefore(hold.expiresAt())) {
            throw new Problem(Problem.HOLD_EXPIRED, "Hold expired", "hold '" + hold.holdId() + "' expired at "
                    + hold.expiresAt() + " and released its credits: report plain usage", "holdId", null);
        }
    }

    private void apply(Tx tx, HoldRow hold, Commit cmd, Plan plan, UsageDecision d, String hash) {
        DecisionRows.of(hold.holdId(), hold.accountId(), hold.realm(), hold.product(), hold.feature(), hold.model(),
                cmd.outcome(), d.price() != null ? d.price().credits() : Money.of(cmd.credits()), cmd.occurredAt(),
                plan, d, hash, clock.instant(), cmd.tokens()).write(tx);
    }

    /** A body that leaves out the realm means the account's, and one without ttlSeconds the default: same request. */
    private static Hold canonical(Hold cmd, AccountRow account) {
        return new Hold(cmd.holdId(), cmd.accountId(), cmd.realm() != null ? cmd.realm() : account.realm(),
                cmd.product(), cmd.feature(), cmd.model(), cmd.credits(), cmd.occurredAt(),
                cmd.ttlSeconds() != null ? cmd.ttlSeconds() : TTL_DEFAULT_SECONDS, cmd.inputTokens(),
                cmd.cachedInputTokens(), cmd.outputTokens());
    }
}

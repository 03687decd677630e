package dev.creditspolicy.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.HoldSettlement;
import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.service.Commands.Commit;
import dev.creditspolicy.service.Commands.Hold;
import dev.creditspolicy.service.Commands.Release;
import dev.creditspolicy.service.Decider.Call;
import dev.creditspolicy.service.Decider.Decided;
import dev.creditspolicy.service.Snapshot.Sight;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.CommitView;
import dev.creditspolicy.service.Views.HoldView;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Rows.EventKind;
import dev.creditspolicy.store.Rows.HoldAllocationRow;
import dev.creditspolicy.store.Rows.HoldRow;
import dev.creditspolicy.store.Rows.PriceRow;
import dev.creditspolicy.store.Store.Tx;

/**
 * What a hold, a commit and a release do inside their transaction ({@link HoldService} runs them, alone or batched):
 * each under its account's lock, idempotent by the hold's id; a hold and a commit decided over the account's
 * {@link Snapshot} by the {@link Decider}, as a usage call is.
 */
final class HoldRequests {
    private final PolicyEngine engine;
    private final Clock clock;

    HoldRequests(PolicyEngine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    Answer<HoldView> hold(Tx tx, Hold cmd) {
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
        Accounts.checkRealm(cmd.realm(), account);
        Snapshot s = Snapshots.reading(tx).load(account, cmd.occurredAt(), Sight.DRAW);
        // a hold is decided as the successful call it is for would be: no partial hold
        Decided decided = new Decider(engine.current()).decide(s, new Call(cmd.holdId(), cmd.product(),
                cmd.feature(), cmd.model(), Outcome.SUCCEEDED, cmd.credits(), cmd.tokens()));
        UsageDecision d = decided.decision();
        boolean held = d.status() != Status.INSUFFICIENT;
        Reason reason = d.status() == Status.CHARGED ? Reason.HELD : d.reason();
        HoldRow row = new HoldRow(cmd.holdId(), account.accountId(), account.realm(), cmd.product(),
                cmd.feature(), cmd.model(), decided.cost(), cmd.occurredAt(), canonical.ttlSeconds(),
                cmd.occurredAt().plusSeconds(canonical.ttlSeconds()), s.plan(), held ? "HELD" : "INSUFFICIENT",
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
                s.expired());
        return new Answer<>(HoldViews.answered(tx, row, d.allocations()), false);
    }

    Answer<CommitView> commit(Tx tx, Commit cmd) {
        Locked locked = lockedHold(tx, cmd.holdId());
        HoldRow hold = locked.hold();
        if (hold.state().equals("COMMITTED")) {
            DecisionRow stored = tx.usage().find(hold.holdId()).orElseThrow();
            if (!RequestHash.matches(stored.requestHash(), cmd)) {
                throw Problem.conflict("holdId", "hold '" + cmd.holdId() + "' was committed with another body");
            }
            return new Answer<>(new CommitView(DecisionRecords.decision(tx, stored), hold.released()), true);
        }
        checkSettleable(hold, cmd.occurredAt());
        AccountRow account = locked.account();
        RuleSet rules = engine.current();
        // the hold's own reservation is the commit's to spend, less what a void dated by then released
        Snapshot s = Snapshots.reading(tx).load(account, cmd.occurredAt(), Sight.settling(hold.holdId()));
        HoldSettlement.Settled settled = new Decider(rules).commit(s, new Call(hold.holdId(), hold.product(),
                hold.feature(), hold.model(), cmd.outcome(), cmd.credits(), cmd.tokens()));
        UsageDecision d = settled.decision();
        String hash = RequestHash.of(cmd);
        DecisionRows.of(hold.holdId(), hold.accountId(), hold.realm(), hold.product(), hold.feature(), hold.model(),
                cmd.outcome(), d.price() != null ? d.price().credits() : Money.of(cmd.credits()), cmd.occurredAt(),
                s.plan(), d, hash, clock.instant(), cmd.tokens()).write(tx);
        if (tx.holds().settle(hold.holdId(), "COMMITTED", cmd.occurredAt(), settled.released(), hash) != 1) {
            throw new IllegalStateException("hold " + hold.holdId() + " was settled twice");
        }
        Accounts.changed(tx, rules, clock, account, EventKind.HOLD_COMMIT, hold.holdId(), cmd.occurredAt(),
                s.expired());
        return new Answer<>(new CommitView(d, settled.released()), false);
    }

    Answer<HoldView> release(Tx tx, Release cmd) {
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
    private static void checkSettleable(HoldRow hold, Instant at) {
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

    /** A body that leaves out the realm means the account's, and one without ttlSeconds the default: same request. */
    private static Hold canonical(Hold cmd, AccountRow account) {
        return new Hold(cmd.holdId(), cmd.accountId(), cmd.realm() != null ? cmd.realm() : account.realm(),
                cmd.product(), cmd.feature(), cmd.model(), cmd.credits(), cmd.occurredAt(),
                cmd.ttlSeconds() != null ? cmd.ttlSeconds() : HoldService.TTL_DEFAULT_SECONDS, cmd.inputTokens(),
                cmd.cachedInputTokens(), cmd.outputTokens());
    }
}

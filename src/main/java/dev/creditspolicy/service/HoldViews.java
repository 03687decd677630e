package dev.creditspolicy.service;

import java.time.Clock;
import java.util.List;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.PriceBreakdown;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.service.Commands.Commit;
import dev.creditspolicy.service.Commands.Hold;
import dev.creditspolicy.service.Commands.Release;
import dev.creditspolicy.service.Views.CommitView;
import dev.creditspolicy.service.Views.HoldView;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Rows.HoldRow;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.store.Store.Tx;

/** Reading holds back: as answered, as they stand now, and as stored requests (what history rebuilds). */
public final class HoldViews {
    private final Store store;
    private final Clock clock;

    public HoldViews(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * The hold and where it stands; a hold still open in the table whose expiry has passed on the service's clock
     * reads EXPIRED (nothing needs to have swept it). Once committed, with the commit's decision.
     */
    public HoldView find(String holdId) {
        return store.inTransaction(tx -> {
            HoldRow r = tx.holds().find(holdId).orElseThrow(() -> Problem.unknownHold(holdId));
            String state = r.state().equals("OPEN") && !clock.instant().isBefore(r.expiresAt()) ? "EXPIRED"
                    : r.state();
            UsageDecision outcome = r.state().equals("COMMITTED")
                    ? DecisionRecords.decision(tx, tx.usage().find(holdId).orElseThrow()) : null;
            return answered(tx, r).settled(r.status(), state, r.settledAt(),
                    state.equals("EXPIRED") && r.released() == null ? r.held() : r.released(), outcome);
        });
    }

    /** A stored hold request and its first answer. */
    public record StoredHold(Hold request, HoldView answer) {
    }

    public StoredHold storedHold(String holdId) {
        return store.inTransaction(tx -> {
            HoldRow r = tx.holds().find(holdId).orElseThrow(() -> Problem.unknownHold(holdId));
            var price = tx.prices().ofHold(holdId);
            Hold request = price.map(p -> new Hold(r.holdId(), r.accountId(), null, r.product(), r.feature(),
                    r.model(), null, r.occurredAt(), r.ttlSeconds(), p.inputTokens(), p.cachedInputTokens(),
                    p.outputTokens())).orElseGet(() -> new Hold(r.holdId(), r.accountId(), null, r.product(),
                    r.feature(), r.model(), r.credits(), r.occurredAt(), r.ttlSeconds()));
            return new StoredHold(request, answered(tx, r));
        });
    }

    public record StoredCommit(Commit request, CommitView answer) {
    }

    public StoredCommit storedCommit(String holdId) {
        return store.inTransaction(tx -> {
            HoldRow h = tx.holds().find(holdId).orElseThrow(() -> Problem.unknownHold(holdId));
            DecisionRow d = tx.usage().find(holdId).orElseThrow(() -> Problem.unknownHold(holdId));
            var price = tx.prices().ofUsage(holdId);
            Commit request = price.map(p -> new Commit(holdId, d.outcome(), null, d.occurredAt(), p.inputTokens(),
                    p.cachedInputTokens(), p.outputTokens()))
                    .orElseGet(() -> new Commit(holdId, d.outcome(), d.credits(), d.occurredAt()));
            return new StoredCommit(request,
                    new CommitView(DecisionRecords.decision(tx, d), h.released()));
        });
    }

    public record StoredRelease(Release request, HoldView answer) {
    }

    public StoredRelease storedRelease(String holdId) {
        return store.inTransaction(tx -> {
            HoldRow h = tx.holds().find(holdId).orElseThrow(() -> Problem.unknownHold(holdId));
            return new StoredRelease(new Release(holdId, h.settledAt()), released(tx, h));
        });
    }

    /** The hold as its request was answered (HELD or INSUFFICIENT). */
    static HoldView answered(Tx tx, HoldRow r) {
        return answered(tx, r, tx.holds().allocations(r.holdId()).stream()
                .map(a -> new Allocation(a.lotId(), a.lotType(), a.amount())).toList());
    }

    /** The same, with the allocations the caller has at hand (a hold just made); the price as stored. */
    static HoldView answered(Tx tx, HoldRow r, List<Allocation> allocations) {
        PriceBreakdown price = tx.prices().ofHold(r.holdId()).map(p -> p.breakdown()).orElse(null);
        return new HoldView(r.holdId(), r.accountId(), r.status(), r.reason(), r.held(), r.shortfall(),
                allocations, r.expiresAt(), r.balanceAfter(), r.rulesVersion(), Accounts.splitRules(r.firedRules()),
                null, null, null, null, price);
    }

    /** The answer to a release: the hold with status RELEASED and what went back. */
    static HoldView released(Tx tx, HoldRow r) {
        return answered(tx, r).settled("RELEASED", "RELEASED", r.settledAt(), r.released(), null);
    }

}

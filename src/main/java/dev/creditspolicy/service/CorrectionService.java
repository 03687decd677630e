package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.SettlementVerdicts;
import dev.creditspolicy.policy.facts.LotVoid;
import dev.creditspolicy.policy.facts.ReturnPolicy;
import dev.creditspolicy.policy.facts.ReturnedAllocation;
import dev.creditspolicy.policy.facts.ExpiryShortened;
import dev.creditspolicy.policy.facts.HoldsOnVoid;
import dev.creditspolicy.policy.facts.LotVoided;
import dev.creditspolicy.policy.facts.UsageReversed;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.service.Commands.Reversal;
import dev.creditspolicy.service.Commands.VoidLot;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.LotView;
import dev.creditspolicy.service.Views.ReversalView;
import dev.creditspolicy.service.Views.VoidView;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.AllocationRow;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Rows.EventKind;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.ReversalRow;
import dev.creditspolicy.store.Rows.VoidRow;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.store.Store.Tx;

/**
 * Corrections (SPEC section 7): voiding a lot and reversing a charge, each under the account's row lock (the lock
 * usage and holds take) and stored as its own record; the decision, its allocations and the credits log are never
 * rewritten. What a void does to open holds, and whether a reversal gives credits back to a lot expired since, are
 * corrections.drl's to say.
 */
public final class CorrectionService {
    private final Store store;
    private final PolicyEngine engine;
    private final Clock clock;

    public CorrectionService(Store store, PolicyEngine engine, Clock clock) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
    }

    /**
     * The lot's expiry becomes {@code at} when that is earlier, as an upgrade's shortening: calls dated before it
     * still draw on the lot. Idempotent on (lotId, at, reason); a lot already expired or voided at {@code at}
     * changes nothing ({@code voided: 0, changed: false}).
     */
    public Answer<VoidView> voidLot(VoidLot cmd) {
        String hash = RequestHash.of(cmd);
        return store.inTransaction(tx -> {
            AccountRow account = Accounts.lock(tx, cmd.accountId());
            LotRow lot = tx.lots().find(cmd.lotId()).filter(l -> l.accountId().equals(account.accountId()))
                    .orElseThrow(() -> Problem.unknownLot(cmd.accountId(), cmd.lotId()));
            var earlier = tx.corrections().findVoid(lot.lotId(), hash);
            if (earlier.isPresent()) {
                return new Answer<>(view(lot, earlier.get()), true);
            }
            boolean changes = cmd.at().isBefore(lot.expiresAt());
            BigDecimal heldOnLot = Money.of(tx.holds().heldAt(account.accountId(), cmd.at(), null)
                    .getOrDefault(lot.lotId(), Money.ZERO));
            RuleSet rules = engine.current();
            SettlementVerdicts.VoidVerdict verdict = rules.evaluateVoid(new LotVoid(lot.lotId(), account.accountId(),
                    lot.source(), cmd.at(), cmd.reason(), heldOnLot));
            boolean releases = changes && verdict.holds() == HoldsOnVoid.RELEASE_FROM_VOID;
            if (changes && tx.lots().shortenExpiry(lot.lotId(), cmd.at()) != 1) {
                throw new IllegalStateException("lot " + lot.lotId() + " could not be voided at " + cmd.at());
            }
            VoidRow row = new VoidRow(null, account.accountId(), lot.lotId(), cmd.at(), cmd.reason(),
                    lot.remaining(), changes ? lot.remaining() : Money.ZERO, lot.expiresAt(),
                    changes ? cmd.at() : null, verdict.holds(), releases ? heldOnLot : Money.ZERO, verdict.rule(),
                    rules.version(), String.join("\n", verdict.firedRules()), hash, clock.instant());
            long id = tx.corrections().insertVoid(row);
            Accounts.changed(tx, rules, clock, account, EventKind.VOID, Long.toString(id), cmd.at(), changes
                    ? List.of(new LotVoided(lot.lotId(), row.voided(), cmd.reason()),
                            new ExpiryShortened(lot.lotId(), lot.expiresAt(), cmd.at(), "VOID"))
                    : List.of());
            return new Answer<>(view(lot, tx.corrections().findVoid(id).orElseThrow()), false);
        });
    }

    /**
     * Every allocation of a charged decision goes back to its lot (corrections.drl may keep it from a lot expired
     * since), recorded as the decision's reversal. A decision is reversed at most once: the same body answers the
     * first reversal again, another is idempotency-conflict; an EXEMPT or INSUFFICIENT decision is not-reversible.
     */
    public Answer<ReversalView> reverse(Reversal cmd) {
        String hash = RequestHash.of(cmd);
        return store.inTransaction(tx -> {
            DecisionRow unlocked = tx.usage().find(cmd.requestId())
                    .orElseThrow(() -> Problem.unknownReversalTarget(cmd.requestId()));
            AccountRow account = Accounts.lock(tx, unlocked.accountId());
            DecisionRow decision = tx.usage().find(cmd.requestId()).orElseThrow();
            var earlier = tx.corrections().findReversal(decision.requestId());
            if (earlier.isPresent()) {
                if (!RequestHash.matches(earlier.get().requestHash(), cmd)) {
                    throw Problem.conflict("requestId", "request '" + cmd.requestId()
                            + "' was already reversed with another body");
                }
                return new Answer<>(view(tx, earlier.get()), true);
            }
            if (decision.status() != Status.CHARGED) {
                throw new Problem(Problem.NOT_REVERSIBLE, "Decision not reversible", "request '"
                        + cmd.requestId() + "' was " + decision.status() + " and charged nothing: only a CHARGED "
                        + "decision can be reversed", "requestId", null);
            }
            if (cmd.at().isBefore(decision.occurredAt())) {
                throw Problem.invalid("at", "request '" + cmd.requestId() + "' occurred at "
                        + decision.occurredAt() + "; it cannot be reversed at " + cmd.at() + ", before it");
            }
            List<AllocationRow> charged = tx.usage().allocations(decision.requestId());
            List<ReturnedAllocation> questions = new ArrayList<>();
            for (AllocationRow a : charged) {
                LotRow lot = tx.lots().find(a.lotId()).orElseThrow();
                questions.add(new ReturnedAllocation(decision.requestId(), a.lotId(), a.lotType(), a.amount(),
                        cmd.at(), lot.expiresAt()));
            }
            RuleSet rules = engine.current();
            SettlementVerdicts.ReversalVerdict verdict = questions.isEmpty()
                    ? new SettlementVerdicts.ReversalVerdict(java.util.Map.of(), List.of())
                    : rules.evaluateReversal(questions);
            List<AllocationRow> returned = new ArrayList<>();
            BigDecimal reversed = Money.ZERO;
            BigDecimal forfeited = Money.ZERO;
            for (AllocationRow a : charged) {
                if (verdict.byLot().get(a.lotId()) == ReturnPolicy.FORFEIT) {
                    forfeited = forfeited.add(a.amount());
                    continue;
                }
                if (tx.corrections().restore(a.lotId(), a.amount()) != 1) {
                    throw new IllegalStateException("lot " + a.lotId() + " cannot take back " + a.amount());
                }
                returned.add(new AllocationRow(decision.requestId(), returned.size() + 1, a.lotId(), a.lotType(),
                        a.amount()));
                reversed = reversed.add(a.amount());
            }
            ReversalRow row = new ReversalRow(decision.requestId(), account.accountId(), cmd.at(), cmd.reason(),
                    Money.of(reversed), Money.of(forfeited), rules.version(),
                    String.join("\n", verdict.firedRules()), hash, clock.instant());
            tx.corrections().insertReversal(row, returned);
            Accounts.changed(tx, rules, clock, account, EventKind.REVERSAL, decision.requestId(), cmd.at(),
                    List.of(new UsageReversed(decision.requestId(), row.reversed(), cmd.reason())));
            return new Answer<>(view(tx, row), false);
        });
    }

    /** A stored void, as it was answered. */
    public VoidView storedVoid(long voidId) {
        return store.inTransaction(tx -> {
            VoidRow v = tx.corrections().findVoid(voidId).orElseThrow(() -> new Problem(Problem.NOT_FOUND,
                    "Unknown void", "no void " + voidId, "voidId", null));
            return view(tx.lots().find(v.lotId()).orElseThrow(), v);
        });
    }

    /** The stored void's request (what history rebuilds a void step from). */
    public VoidLot voidRequest(long voidId) {
        return store.inTransaction(tx -> tx.corrections().findVoid(voidId)
                .map(v -> new VoidLot(v.accountId(), v.lotId(), v.voidedAt(), v.reason())).orElseThrow());
    }

    /** A decision's reversal, if it has one. */
    public java.util.Optional<ReversalView> reversalOf(String requestId) {
        return store.inTransaction(tx -> tx.corrections().findReversal(requestId).map(r -> view(tx, r)));
    }

    static ReversalView view(Tx tx, ReversalRow r) {
        return DecisionRecords.reversals(tx, List.of(r.requestId())).get(r.requestId());
    }

    /** The void's answer: the lot as the void left it (remaining and expiry then), without the lot's own void. */
    private static VoidView view(LotRow lot, VoidRow v) {
        LotRow then = new LotRow(lot.lotId(), lot.accountId(), lot.realm(), lot.source(), lot.plan(),
                lot.originProduct(), lot.reason(), lot.amount(), v.remaining(), lot.effectiveAt(),
                v.changed() ? v.newExpiresAt() : v.oldExpiresAt(), lot.initialExpiresAt(), lot.requestHash());
        return new VoidView(LotView.of(then, null), v.voided(), v.changed(), v.voidedAt(), v.reason(),
                v.heldReleased(), v.rulesVersion(), Accounts.splitRules(v.firedRules()));
    }
}

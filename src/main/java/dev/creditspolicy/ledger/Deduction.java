package dev.creditspolicy.ledger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.creditspolicy.policy.UsageVerdict;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.policy.facts.UsageCall;

/**
 * Turns the rules' verdict into a decision: an exempt call charges nothing; otherwise the cost is drawn from the
 * eligible lots in the rules' order, or, when they hold too little, nothing is drawn and the shortfall is stated.
 * Pure arithmetic: no rule and no I/O here.
 */
public final class Deduction {
    private Deduction() {
    }

    public static UsageDecision decide(UsageCall call, UsageVerdict verdict) {
        BigDecimal cost = cost(call, verdict);
        BigDecimal available = Money.ZERO;
        for (Lot lot : verdict.eligibleInOrder()) {
            available = available.add(lot.getRemaining());
        }
        if (verdict.exemption() != null) {
            return decision(call, verdict, Status.EXEMPT, verdict.exemption(), Money.ZERO, Money.ZERO, List.of(),
                    available);
        }
        if (available.compareTo(cost) < 0) {
            Reason reason = verdict.notSharedWithProduct() ? Reason.NOT_SHARED_WITH_PRODUCT : Reason.INSUFFICIENT_BALANCE;
            return decision(call, verdict, Status.INSUFFICIENT, reason, Money.ZERO, cost.subtract(available),
                    List.of(), available);
        }
        List<Allocation> allocations = new ArrayList<>();
        BigDecimal left = cost;
        for (Lot lot : verdict.eligibleInOrder()) {
            if (left.signum() == 0) {
                break;
            }
            BigDecimal take = lot.getRemaining().min(left);
            allocations.add(new Allocation(lot.getLotId(), lot.getType(), Money.of(take)));
            left = left.subtract(take);
        }
        assert left.signum() == 0 : "allocations must cover the cost";
        return decision(call, verdict, Status.CHARGED, Reason.CHARGED, cost, Money.ZERO, allocations,
                available.subtract(cost));
    }

    /** The call's credits, or, for a call that sent its tokens, the price the rules made of them. */
    public static BigDecimal cost(UsageCall call, UsageVerdict verdict) {
        if (verdict.price() != null) {
            return Money.of(verdict.price().getCredits());
        }
        if (call.getCredits() == null) {
            throw new IllegalStateException("call " + call.getRequestId() + " has neither credits nor a price");
        }
        return Money.of(call.getCredits());
    }

    private static UsageDecision decision(UsageCall call, UsageVerdict verdict, Status status, Reason reason,
                                          BigDecimal charged, BigDecimal shortfall, List<Allocation> allocations,
                                          BigDecimal balanceAfter) {
        return new UsageDecision(call.getRequestId(), status, reason, charged, shortfall, List.copyOf(allocations),
                Money.of(balanceAfter), verdict.rulesVersion(), verdict.firedRules(),
                verdict.price() == null ? null : PriceBreakdown.of(verdict.price()));
    }
}

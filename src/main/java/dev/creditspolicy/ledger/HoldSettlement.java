package dev.creditspolicy.ledger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.creditspolicy.policy.UsageVerdict;
import dev.creditspolicy.policy.facts.ExcessPolicy;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;

/**
 * The arithmetic of settling a hold (SPEC section 6), pure: no rule and no I/O here. The commit's verdict is the
 * rules' answer for the commit's call at its occurredAt, over the lots as they stand without this hold's
 * reservation (other open holds already subtracted): exemption.drl says whether it is charged, sharing.drl and
 * priority.drl which lots an excess may draw on; holds.drl ({@code excessPolicy}) whether it may.
 */
public final class HoldSettlement {
    private HoldSettlement() {
    }

    /** A settled commit: the usage decision and what went back to the lots. */
    public record Settled(UsageDecision decision, BigDecimal released) {
    }

    /**
     * @param credits       what the call cost: the commit's credits, or the price of its tokens
     * @param held          the hold's allocations, in the order they were held
     * @param verdict       the rules' verdict for the commit's call
     * @param excessPolicy  holds.drl's treatment of the cost beyond the hold; null when there is none
     * @param excessRules   the rules of holds.drl that fired (empty when not asked)
     */
    public static Settled commit(String holdId, BigDecimal credits, List<Allocation> held, UsageVerdict verdict,
                                 ExcessPolicy excessPolicy, List<String> excessRules) {
        BigDecimal heldTotal = Money.ZERO;
        for (Allocation a : held) {
            heldTotal = heldTotal.add(a.amount());
        }
        Map<String, BigDecimal> available = new LinkedHashMap<>();
        for (Lot lot : verdict.eligibleInOrder()) {
            available.put(lot.getLotId(), lot.getRemaining().max(Money.ZERO));
        }
        TreeSet<String> fired = new TreeSet<>(verdict.firedRules());
        fired.addAll(excessRules);
        List<String> firedRules = List.copyOf(fired);
        if (verdict.exemption() != null) {
            UsageDecision d = new UsageDecision(holdId, Status.EXEMPT, verdict.exemption(), Money.ZERO, Money.ZERO,
                    List.of(), sum(available), verdict.rulesVersion(), firedRules, price(verdict));
            return new Settled(d, Money.of(heldTotal));
        }
        BigDecimal cost = Money.of(credits);
        Map<String, Allocation> drawn = new LinkedHashMap<>();
        BigDecimal left = cost;
        for (Allocation a : held) {
            BigDecimal take = a.amount().min(left);
            if (take.signum() > 0) {
                add(drawn, a.lotId(), a.type(), take);
                left = left.subtract(take);
                // what the commit takes from its own reservation is no longer there for the excess
                available.computeIfPresent(a.lotId(), (k, v) -> v.subtract(take).max(Money.ZERO));
            }
        }
        BigDecimal released = heldTotal.subtract(cost.subtract(left));
        BigDecimal shortfall = Money.ZERO;
        if (left.signum() > 0) {
            if (excessPolicy == null) {
                throw new IllegalStateException("a commit beyond its hold needs holds.drl's excess treatment");
            }
            if (excessPolicy == ExcessPolicy.DRAW_UNHELD) {
                for (Lot lot : verdict.eligibleInOrder()) {
                    BigDecimal take = available.get(lot.getLotId()).min(left);
                    if (take.signum() > 0) {
                        add(drawn, lot.getLotId(), lot.getType(), take);
                        available.put(lot.getLotId(), available.get(lot.getLotId()).subtract(take));
                        left = left.subtract(take);
                    }
                }
            }
            shortfall = left;
        }
        BigDecimal charged = cost.subtract(shortfall);
        List<Allocation> allocations = List.copyOf(drawn.values());
        BigDecimal allocated = Money.ZERO;
        for (Allocation a : allocations) {
            allocated = allocated.add(a.amount());
        }
        assert allocated.compareTo(charged) == 0 : "a commit's allocations must equal its charge";
        Reason reason = shortfall.signum() > 0 ? Reason.HOLD_EXCEEDED : Reason.CHARGED;
        UsageDecision d = new UsageDecision(holdId, Status.CHARGED, reason, Money.of(charged), Money.of(shortfall),
                allocations, sum(available), verdict.rulesVersion(), firedRules, price(verdict));
        return new Settled(d, Money.of(released));
    }

    private static PriceBreakdown price(UsageVerdict verdict) {
        return verdict.price() == null ? null : PriceBreakdown.of(verdict.price());
    }

    private static void add(Map<String, Allocation> drawn, String lotId, LotType type, BigDecimal amount) {
        Allocation before = drawn.get(lotId);
        BigDecimal total = before == null ? amount : before.amount().add(amount);
        drawn.put(lotId, new Allocation(lotId, type, Money.of(total)));
    }

    private static BigDecimal sum(Map<String, BigDecimal> available) {
        BigDecimal total = Money.ZERO;
        for (BigDecimal v : available.values()) {
            total = total.add(v);
        }
        return Money.of(total);
    }
}

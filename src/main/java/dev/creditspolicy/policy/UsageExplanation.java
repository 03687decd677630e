package dev.creditspolicy.policy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.Status;

/**
 * A usage verdict that explains itself: the verdict (the same as {@link RuleSet#evaluateUsage}'s, fired rules
 * included) and, for every lot of the account, whether the rules let the call draw on it and the rule that said so.
 * Eligible lots come first in deduction order, then the others by lot id.
 */
public record UsageExplanation(UsageVerdict verdict, List<LotVerdict> lots) {
    public static final String NOT_NEEDED = "not needed";
    public static final String NOT_DRAWN_INSUFFICIENT = "not drawn: the eligible lots hold less than the cost";
    public static final String UNEXPLAINED = "not drawn: no rule says why";

    /** One lot as the rules saw it: eligible (by {@code rule}), or not drawn on because of {@code why}. */
    public record LotVerdict(Lot lot, boolean eligible, String why, String rule) {
    }

    public UsageExplanation {
        lots = List.copyOf(lots);
    }

    /**
     * The final explanation of every lot once the deduction is known. Pure: an eligible lot the deduction drew on
     * says "drawn 12.5", one it did not says "not needed" (or, for an insufficient call, that the eligible lots hold
     * too little); a lot the rules excluded says why. Each names the rule that decided it.
     *
     * @param status       the decision's status
     * @param drawnByLotId what the decision drew from each lot (lots it did not draw on may be absent)
     */
    public List<LotExplanation> explain(Status status, Map<String, BigDecimal> drawnByLotId) {
        List<LotExplanation> out = new ArrayList<>(lots.size());
        for (LotVerdict v : lots) {
            Lot lot = v.lot();
            String text;
            if (!v.eligible()) {
                text = v.why();
            } else {
                BigDecimal drawn = drawnByLotId.get(lot.getLotId());
                if (drawn != null && drawn.signum() > 0) {
                    text = "drawn " + drawn.stripTrailingZeros().toPlainString();
                } else {
                    text = status == Status.INSUFFICIENT ? NOT_DRAWN_INSUFFICIENT : NOT_NEEDED;
                }
            }
            out.add(new LotExplanation(lot.getLotId(), lot.getType(), text, v.rule()));
        }
        return List.copyOf(out);
    }
}

package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The account as alerts.drl sees it after a change: its plan at the change's event time {@code at}, what the plan's
 * cycle running at {@code at} granted ({@code cycleGrant}, zero when none runs), and its burn rate over the 7 days
 * of event time before {@code at} ({@code burnPerDay}, zero when nothing was charged).
 */
public record AccountState(String accountId, Realm realm, Plan plan, Instant at, BigDecimal cycleGrant,
                           BigDecimal burnPerDay) {

    /** {@code percent} of the cycle's grant, to 4 decimals (a low-balance threshold the rules can name). */
    public BigDecimal percentOfGrant(int percent) {
        return cycleGrant.multiply(BigDecimal.valueOf(percent)).divide(BigDecimal.valueOf(100), 4,
                RoundingMode.HALF_UP);
    }

    /** A fixed amount of credits, for thresholds the rules state as an amount. */
    public BigDecimal credits(int amount) {
        return BigDecimal.valueOf(amount).setScale(4);
    }

    public Tier tier() {
        return plan.tier();
    }
}

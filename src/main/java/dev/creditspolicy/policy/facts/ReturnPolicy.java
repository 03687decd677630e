package dev.creditspolicy.policy.facts;

/**
 * What a reversal does with one allocation. RESTORE: the amount goes back to the lot (its remaining increases; a
 * lot expired since keeps the credits, unusable). FORFEIT: nothing goes back to that lot (the amount is the
 * reversal's {@code forfeited}).
 */
public enum ReturnPolicy {
    RESTORE, FORFEIT
}

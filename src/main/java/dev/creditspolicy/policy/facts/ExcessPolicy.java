package dev.creditspolicy.policy.facts;

/**
 * What a commit does with the cost beyond its hold. DRAW_UNHELD: draw it from the account's unheld credits under the
 * normal sharing and priority rules, what they cannot cover being the shortfall (HOLD_EXCEEDED). CHARGE_HELD_ONLY:
 * charge the held amount only; the whole excess is the shortfall (HOLD_EXCEEDED).
 */
public enum ExcessPolicy {
    DRAW_UNHELD, CHARGE_HELD_ONLY
}

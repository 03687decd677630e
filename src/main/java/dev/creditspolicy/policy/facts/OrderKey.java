package dev.creditspolicy.policy.facts;

/** The criteria priority.drl can put in a {@link DeductionOrder}, each a comparison of two lots. */
public enum OrderKey {
    SOONEST_EXPIRY,
    LATEST_EXPIRY,
    PLAN_BEFORE_ADDON,
    ADDON_BEFORE_PLAN,
    EARLIEST_EFFECTIVE_AT,
    LOT_ID
}

package dev.creditspolicy.policy.facts;

public enum Reason {
    CHARGED, FAILED_CALL, BEFORE_CREDITS_MODEL, NOT_SHARED_WITH_PRODUCT, INSUFFICIENT_BALANCE,
    /** a hold reserved its credits */
    HELD,
    /** a commit cost more than its hold and the excess was not (all) covered */
    HOLD_EXCEEDED
}

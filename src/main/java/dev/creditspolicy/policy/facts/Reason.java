package dev.creditspolicy.policy.facts;

public enum Reason {
    CHARGED, FAILED_CALL, BEFORE_CREDITS_MODEL, NOT_SHARED_WITH_PRODUCT, INSUFFICIENT_BALANCE
}

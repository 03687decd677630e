package dev.creditspolicy.policy.facts;

/** Which credits a balance counts: one lot type, or all of them. */
public enum CreditKind {
    PLAN, ADDON, TOTAL
}

package dev.creditspolicy.policy.facts;

public enum PlanChangeKind {
    UPGRADE, DOWNGRADE
}

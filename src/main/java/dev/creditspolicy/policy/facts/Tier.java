package dev.creditspolicy.policy.facts;

public enum Tier {
    PERSONAL, ENTERPRISE
}

package dev.creditspolicy.policy.facts;

public enum Status {
    CHARGED, EXEMPT, INSUFFICIENT
}

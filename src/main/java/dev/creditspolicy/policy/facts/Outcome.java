package dev.creditspolicy.policy.facts;

public enum Outcome {
    SUCCEEDED, FAILED
}

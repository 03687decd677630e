package dev.creditspolicy.policy.facts;

public enum Product {
    IDE, JETBRAINS, QODERWORK, CLI, MOBILE
}

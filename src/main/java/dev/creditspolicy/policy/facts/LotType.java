package dev.creditspolicy.policy.facts;

public enum LotType {
    PLAN, ADDON
}

package dev.creditspolicy.policy.facts;

public enum Realm {
    QODER_CN, QODER
}

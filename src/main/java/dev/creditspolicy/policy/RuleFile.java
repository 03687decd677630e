package dev.creditspolicy.policy;

/** A .drl file of a rule set, with the hash of its content. */
public record RuleFile(String name, String sha256, String content) {
}

package dev.creditspolicy.policy;

import java.util.List;

import dev.creditspolicy.policy.facts.ExpiryChange;

/** The expiry changes a plan change causes, ordered by lot id. */
public record PlanChangeVerdict(List<ExpiryChange> expiryChanges, String rulesVersion, List<String> firedRules) {
}

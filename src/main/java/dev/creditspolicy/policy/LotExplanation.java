package dev.creditspolicy.policy;

import dev.creditspolicy.policy.facts.LotType;

/**
 * Why one lot of the account was or was not drawn on by a call, in the policy's words ("drawn 12.5", "not needed",
 * "expired", "not shared with JETBRAINS for ENTERPRISE_TEAMS"), with the rule that decided it (null when no rule
 * explains a lot that was not drawn).
 */
public record LotExplanation(String lotId, LotType type, String explanation, String rule) {
}

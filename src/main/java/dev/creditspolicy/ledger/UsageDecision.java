package dev.creditspolicy.ledger;

import java.math.BigDecimal;
import java.util.List;

import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;

/**
 * The answer to one usage request. {@code balanceAfter} is what the call's product may still draw on at the call's
 * occurredAt once this decision is applied.
 */
public record UsageDecision(String requestId, Status status, Reason reason, BigDecimal charged, BigDecimal shortfall,
                            List<Allocation> allocations, BigDecimal balanceAfter, String rulesVersion,
                            List<String> firedRules) {
}

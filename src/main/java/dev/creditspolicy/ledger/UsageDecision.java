package dev.creditspolicy.ledger;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;

/**
 * The answer to one usage request. {@code balanceAfter} is what the call's product may still draw on at the call's
 * occurredAt once this decision is applied. {@code price} is how the rules priced a call that sent its tokens
 * (absent from the JSON for a call that sent credits, so those answers are what they were).
 */
public record UsageDecision(String requestId, Status status, Reason reason, BigDecimal charged, BigDecimal shortfall,
                            List<Allocation> allocations, BigDecimal balanceAfter, String rulesVersion,
                            List<String> firedRules, @JsonInclude(JsonInclude.Include.NON_NULL) PriceBreakdown price) {
    public UsageDecision(String requestId, Status status, Reason reason, BigDecimal charged, BigDecimal shortfall,
                         List<Allocation> allocations, BigDecimal balanceAfter, String rulesVersion,
                         List<String> firedRules) {
        this(requestId, status, reason, charged, shortfall, allocations, balanceAfter, rulesVersion, firedRules,
                null);
    }
}

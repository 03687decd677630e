package dev.creditspolicy.ledger;

import java.math.BigDecimal;

import dev.creditspolicy.policy.facts.LotType;

/** The part of a call's cost one lot pays. */
public record Allocation(String lotId, LotType type, BigDecimal amount) {
}

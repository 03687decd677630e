package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;

/** alerts.drl's classification: below {@code amount} available, credits of this kind are low for the account. */
public record LowBalanceThreshold(CreditKind credits, BigDecimal amount) {
}

package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The question holds.drl answers: a hold's commit costs more than the hold reserved; what happens to the excess?
 * {@code held} is what the hold reserved, {@code excess} the actual cost minus that, {@code at} the commit's
 * occurredAt.
 */
public final class HoldExcess {
    private final String holdId;
    private final String accountId;
    private final Plan plan;
    private final Product product;
    private final BigDecimal held;
    private final BigDecimal excess;
    private final Instant at;

    public HoldExcess(String holdId, String accountId, Plan plan, Product product, BigDecimal held,
                      BigDecimal excess, Instant at) {
        this.holdId = holdId;
        this.accountId = accountId;
        this.plan = plan;
        this.product = product;
        this.held = held;
        this.excess = excess;
        this.at = at;
    }

    public String getHoldId() { return holdId; }
    public String getAccountId() { return accountId; }
    public Plan getPlan() { return plan; }
    public Tier getTier() { return plan.tier(); }
    public Product getProduct() { return product; }
    public BigDecimal getHeld() { return held; }
    public BigDecimal getExcess() { return excess; }
    public Instant getAt() { return at; }

    @Override
    public String toString() {
        return "HoldExcess[" + holdId + " " + product + " held " + held + " excess " + excess + " at " + at + "]";
    }
}

package dev.creditspolicy.policy.facts;

import java.time.Instant;

/** A request to grant add-on credits, with the account's plan at the lot's effectiveAt. */
public final class AddonGrant {
    private final String accountId;
    private final Plan plan;
    private final LotSource source;
    private final Instant effectiveAt;

    public AddonGrant(String accountId, Plan plan, LotSource source, Instant effectiveAt) {
        this.accountId = accountId;
        this.plan = plan;
        this.source = source;
        this.effectiveAt = effectiveAt;
    }

    public String getAccountId() { return accountId; }
    public Plan getPlan() { return plan; }
    public Tier getTier() { return plan.tier(); }
    public LotSource getSource() { return source; }
    public Instant getEffectiveAt() { return effectiveAt; }
}

package dev.creditspolicy.policy.facts;

import java.time.Instant;

/**
 * A request to grant add-on credits, with the account's plan at the lot's effectiveAt and its latest plan (the one
 * it is on when the grant arrives), so a backdated grant cannot slip past a later change of tier.
 */
public final class AddonGrant {
    private final String accountId;
    private final Plan plan;
    private final Plan currentPlan;
    private final LotSource source;
    private final Instant effectiveAt;

    public AddonGrant(String accountId, Plan plan, LotSource source, Instant effectiveAt) {
        this(accountId, plan, plan, source, effectiveAt);
    }

    public AddonGrant(String accountId, Plan plan, Plan currentPlan, LotSource source, Instant effectiveAt) {
        this.accountId = accountId;
        this.plan = plan;
        this.currentPlan = currentPlan;
        this.source = source;
        this.effectiveAt = effectiveAt;
    }

    public String getAccountId() { return accountId; }
    public Plan getPlan() { return plan; }
    public Tier getTier() { return plan.tier(); }
    public Plan getCurrentPlan() { return currentPlan; }
    public Tier getCurrentTier() { return currentPlan.tier(); }
    public LotSource getSource() { return source; }
    public Instant getEffectiveAt() { return effectiveAt; }
}

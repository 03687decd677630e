package dev.creditspolicy.policy.facts;

/** Subscription plans; the tier is what the sharing matrix is written against. */
public enum Plan {
    PERSONAL_COMMUNITY(Tier.PERSONAL),
    PERSONAL_PRO(Tier.PERSONAL),
    ENTERPRISE_TEAMS(Tier.ENTERPRISE),
    ENTERPRISE_VPC(Tier.ENTERPRISE);

    private final Tier tier;

    Plan(Tier tier) {
        this.tier = tier;
    }

    public Tier tier() {
        return tier;
    }
}

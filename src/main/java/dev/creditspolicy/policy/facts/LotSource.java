package dev.creditspolicy.policy.facts;

/** Where a lot came from: a subscription cycle, a credit pack, or a promotion. */
public enum LotSource {
    PLAN(LotType.PLAN, "PLAN_CREDITS"),
    PURCHASE(LotType.ADDON, "CREDIT_PURCHASE"),
    PROMOTION(LotType.ADDON, "PROMOTION");

    private final LotType type;
    private final String creditsLogType;

    LotSource(LotType type, String creditsLogType) {
        this.type = type;
        this.creditsLogType = creditsLogType;
    }

    public LotType type() {
        return type;
    }

    /** The acquisition type the credits log shows (PLAN_CREDITS, CREDIT_PURCHASE, PROMOTION). */
    public String creditsLogType() {
        return creditsLogType;
    }
}

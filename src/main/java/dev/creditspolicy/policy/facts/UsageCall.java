package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.time.Instant;

/** One model call to decide on, with the account's plan at the call's occurredAt. */
public final class UsageCall {
    private final String requestId;
    private final String accountId;
    private final Realm realm;
    private final Plan plan;
    private final Product product;
    private final Feature feature;
    private final String model;
    private final Outcome outcome;
    private final BigDecimal credits;
    private final Instant occurredAt;

    public UsageCall(String requestId, String accountId, Realm realm, Plan plan, Product product, Feature feature,
                     String model, Outcome outcome, BigDecimal credits, Instant occurredAt) {
        this.requestId = requestId;
        this.accountId = accountId;
        this.realm = realm;
        this.plan = plan;
        this.product = product;
        this.feature = feature;
        this.model = model;
        this.outcome = outcome;
        this.credits = credits;
        this.occurredAt = occurredAt;
    }

    public String getRequestId() { return requestId; }
    public String getAccountId() { return accountId; }
    public Realm getRealm() { return realm; }
    /** The account's plan at occurredAt (not now: a call reported late keeps the plan it was made under). */
    public Plan getPlan() { return plan; }
    public Tier getTier() { return plan.tier(); }
    public Product getProduct() { return product; }
    public Feature getFeature() { return feature; }
    public String getModel() { return model; }
    public Outcome getOutcome() { return outcome; }
    public BigDecimal getCredits() { return credits; }
    public Instant getOccurredAt() { return occurredAt; }
}

package dev.creditspolicy.policy.facts;

import java.time.Instant;

/**
 * The question sharing.drl and priority.drl answer: which lots may this product of this account draw on at this
 * instant, under the account's plan at that instant. A usage call asks it ({@link #of(UsageCall)}), and so does the
 * balance of one product; whether a call is charged at all stays a question about the call ({@link UsageCall}).
 */
public final class Draw {
    private final String accountId;
    private final Realm realm;
    private final Plan plan;
    private final Product product;
    private final Instant at;

    public Draw(String accountId, Realm realm, Plan plan, Product product, Instant at) {
        this.accountId = accountId;
        this.realm = realm;
        this.plan = plan;
        this.product = product;
        this.at = at;
    }

    /** The draw a call makes: its account, realm, plan, product, at its occurredAt. */
    public static Draw of(UsageCall call) {
        return new Draw(call.getAccountId(), call.getRealm(), call.getPlan(), call.getProduct(), call.getOccurredAt());
    }

    public String getAccountId() { return accountId; }
    public Realm getRealm() { return realm; }
    /** The account's plan at {@link #getAt()}. */
    public Plan getPlan() { return plan; }
    public Tier getTier() { return plan.tier(); }
    public Product getProduct() { return product; }
    /** The instant of the draw: a call's occurredAt, or the instant a balance is asked for. */
    public Instant getAt() { return at; }

    @Override
    public String toString() {
        return "Draw[" + accountId + " " + realm + " " + plan + " " + product + " at " + at + "]";
    }
}

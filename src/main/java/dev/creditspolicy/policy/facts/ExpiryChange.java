package dev.creditspolicy.policy.facts;

import java.time.Instant;

/** Conclusion of expiry.drl: this lot's expiry becomes {@code newExpiresAt}, by the named rule. */
public final class ExpiryChange implements Conclusions {
    private final Lot lot;
    private final Instant newExpiresAt;
    private final String rule;

    public ExpiryChange(Lot lot, Instant newExpiresAt, String rule) {
        this.lot = lot;
        this.newExpiresAt = newExpiresAt;
        this.rule = rule;
    }

    public Lot getLot() { return lot; }
    public Instant getNewExpiresAt() { return newExpiresAt; }
    public String getRule() { return rule; }
}

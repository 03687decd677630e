package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.time.Instant;

/** A lot of credits as the rules see it: immutable, with what it holds at the moment of the evaluation. */
public final class Lot {
    private final String lotId;
    private final String accountId;
    private final Realm realm;
    private final LotSource source;
    private final Plan plan;
    private final Product originProduct;
    private final Instant effectiveAt;
    private final Instant expiresAt;
    private final BigDecimal remaining;

    public Lot(String lotId, String accountId, Realm realm, LotSource source, Plan plan, Product originProduct,
               Instant effectiveAt, Instant expiresAt, BigDecimal remaining) {
        this.lotId = lotId;
        this.accountId = accountId;
        this.realm = realm;
        this.source = source;
        this.plan = plan;
        this.originProduct = originProduct;
        this.effectiveAt = effectiveAt;
        this.expiresAt = expiresAt;
        this.remaining = remaining;
    }

    /** The spec's definition: active at t when effectiveAt <= t < expiresAt and remaining > 0. */
    public boolean isActiveAt(Instant t) {
        return !effectiveAt.isAfter(t) && t.isBefore(expiresAt) && remaining.signum() > 0;
    }

    public String getLotId() { return lotId; }
    public String getAccountId() { return accountId; }
    public Realm getRealm() { return realm; }
    public LotSource getSource() { return source; }
    public LotType getType() { return source.type(); }
    /** The plan whose cycle granted this lot; null for add-on lots. */
    public Plan getPlan() { return plan; }
    /** The product the lot was acquired for, or null when it follows the sharing matrix from the start. */
    public Product getOriginProduct() { return originProduct; }
    public Instant getEffectiveAt() { return effectiveAt; }
    public Instant getExpiresAt() { return expiresAt; }
    public BigDecimal getRemaining() { return remaining; }

    @Override
    public String toString() {
        return "Lot[" + lotId + " " + source + " remaining " + remaining + " " + effectiveAt + ".." + expiresAt + "]";
    }
}

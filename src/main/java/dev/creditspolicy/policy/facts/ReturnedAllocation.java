package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The question corrections.drl answers for each allocation of a reversed charge: {@code amount} goes back to lot
 * {@code lotId} at {@code at}; the lot's expiry is {@code lotExpiresAt} (it may have expired since the charge).
 */
public final class ReturnedAllocation {
    private final String requestId;
    private final String lotId;
    private final LotType type;
    private final BigDecimal amount;
    private final Instant at;
    private final Instant lotExpiresAt;

    public ReturnedAllocation(String requestId, String lotId, LotType type, BigDecimal amount, Instant at,
                              Instant lotExpiresAt) {
        this.requestId = requestId;
        this.lotId = lotId;
        this.type = type;
        this.amount = amount;
        this.at = at;
        this.lotExpiresAt = lotExpiresAt;
    }

    public String getRequestId() { return requestId; }
    public String getLotId() { return lotId; }
    public LotType getType() { return type; }
    public BigDecimal getAmount() { return amount; }
    public Instant getAt() { return at; }
    public Instant getLotExpiresAt() { return lotExpiresAt; }

    /** The lot can no longer be drawn on at the reversal's instant (expired, shortened or voided since). */
    public boolean isLotExpired() { return !at.isBefore(lotExpiresAt); }

    @Override
    public String toString() {
        return "ReturnedAllocation[" + requestId + " " + lotId + " " + amount + " at " + at + "]";
    }
}

package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The question corrections.drl answers about a void: this lot is voided at {@code at}; what happens to what open
 * holds reserve on it ({@code heldOnLot}, by holds open at {@code at})?
 */
public final class LotVoid {
    private final String lotId;
    private final String accountId;
    private final LotSource source;
    private final Instant at;
    private final String reason;
    private final BigDecimal heldOnLot;

    public LotVoid(String lotId, String accountId, LotSource source, Instant at, String reason, BigDecimal heldOnLot) {
        this.lotId = lotId;
        this.accountId = accountId;
        this.source = source;
        this.at = at;
        this.reason = reason;
        this.heldOnLot = heldOnLot;
    }

    public String getLotId() { return lotId; }
    public String getAccountId() { return accountId; }
    public LotSource getSource() { return source; }
    public LotType getType() { return source.type(); }
    public Instant getAt() { return at; }
    public String getReason() { return reason; }
    public BigDecimal getHeldOnLot() { return heldOnLot; }

    @Override
    public String toString() {
        return "LotVoid[" + lotId + " at " + at + ", held " + heldOnLot + "]";
    }
}

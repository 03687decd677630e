package dev.creditspolicy.policy.facts;

import java.math.RoundingMode;

/** How pricing.drl rounds a price to the ledger's 4 decimals. */
public enum PriceRounding {
    /** 0.00005 and more of the 5th decimal rounds away from zero, less rounds down. */
    HALF_UP(RoundingMode.HALF_UP),
    /** Any remainder beyond the 4th decimal rounds up. */
    UP(RoundingMode.UP);

    private final RoundingMode mode;

    PriceRounding(RoundingMode mode) {
        this.mode = mode;
    }

    public RoundingMode mode() {
        return mode;
    }
}

package dev.creditspolicy.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Credits are exact decimals with 4 fractional digits; every amount the service stores or answers has that scale. */
public final class Money {
    public static final int SCALE = 4;
    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

    private Money() {
    }

    /** Fixes the scale; refuses (never rounds) an amount with more than 4 fractional digits. */
    public static BigDecimal of(BigDecimal amount) {
        return amount.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    public static boolean fitsScale(BigDecimal amount) {
        return amount.stripTrailingZeros().scale() <= SCALE;
    }
}

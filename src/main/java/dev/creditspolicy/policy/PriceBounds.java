package dev.creditspolicy.policy;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;

import dev.creditspolicy.policy.facts.FeatureMultiplier;

import dev.creditspolicy.policy.facts.ModelRate;
import dev.creditspolicy.requests.Fields;

/**
 * The bounds of the price table (docs/rule-files.md). A rate or multiplier past them would make every priced call of
 * its model fail or cost more than the ledger holds, and a table too long would hold a reload: each is refused with
 * the table's file and line before anything serves, the longest table after {@link #MAX_ROWS} rows, at once.
 */
final class PriceBounds {
    /** Rows of the table, rates and multipliers together. */
    static final int MAX_ROWS = 1_000;
    /** Characters of a number as written (checked before it is parsed). */
    static final int MAX_NUMBER_CHARS = 32;
    /** Significant digits of a number, and digits after its point. */
    static final int MAX_DIGITS = 12;
    static final int MAX_FRACTION_DIGITS = 8;
    /** Credits per 1,000 tokens of one kind. */
    static final BigDecimal MAX_RATE = new BigDecimal("1000000");
    static final BigDecimal MAX_MULTIPLIER = new BigDecimal("1000");
    /**
     * Credits one call may cost at a row's rates: its three kinds of tokens at their largest ({@link Fields#TOKENS_MAX}
     * each), times the table's largest multiplier. The ledger's amounts hold 15 integer digits; 1e12 leaves room.
     */
    static final BigDecimal MAX_PRICE = new BigDecimal("1000000000000");

    private PriceBounds() {
    }

    /** @throws IllegalArgumentException saying, without quoting a long cell, what is wrong with it */
    static BigDecimal number(String cell, BigDecimal max) {
        if (cell.length() > MAX_NUMBER_CHARS) {
            throw new IllegalArgumentException("has " + cell.length() + " characters; a number here has at most "
                    + MAX_NUMBER_CHARS);
        }
        BigDecimal v;
        try {
            v = new BigDecimal(cell);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number: \"" + cell + "\"");
        }
        if (v.signum() < 0) {
            throw new IllegalArgumentException("cannot be negative: " + cell);
        }
        if (v.compareTo(max) > 0) {
            throw new IllegalArgumentException("is " + cell + "; at most " + max.toPlainString());
        }
        BigDecimal plain = v.stripTrailingZeros();
        if (plain.precision() > MAX_DIGITS || plain.scale() > MAX_FRACTION_DIGITS) {
            throw new IllegalArgumentException("is " + cell + "; a number here has at most " + MAX_DIGITS
                    + " significant digits, " + MAX_FRACTION_DIGITS + " after the point");
        }
        return v;
    }

    /** Refuses ({@code error}: the row's name and why) each rate row whose costliest call passes {@link #MAX_PRICE}. */
    static void checkPrices(List<ModelRate> rates, Collection<FeatureMultiplier> multipliers,
                            BiConsumer<String, String> error) {
        BigDecimal most = multipliers.stream().map(FeatureMultiplier::getMultiplier).max(BigDecimal::compareTo)
                .orElse(BigDecimal.ONE);
        for (ModelRate row : rates) {
            if (worstPrice(row, most).compareTo(MAX_PRICE) > 0) {
                error.accept(row.getRule(), "a call of the most tokens (" + Fields.TOKENS_MAX + " of each kind) at "
                        + "these rates and the largest multiplier (" + most.toPlainString() + ") would cost more than "
                        + MAX_PRICE.toPlainString() + " credits");
            }
        }
    }

    /** What the costliest call at the row's rates would cost, with the table's largest multiplier. */
    private static BigDecimal worstPrice(ModelRate row, BigDecimal maxMultiplier) {
        return row.getInput().add(row.getCachedInput()).add(row.getOutput())
                .multiply(BigDecimal.valueOf(Fields.TOKENS_MAX))
                .movePointLeft(3).multiply(maxMultiplier);
    }
}

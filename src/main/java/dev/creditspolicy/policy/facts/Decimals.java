package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;

/** A number a table's cell writes (a rate, a multiplier), or a refusal quoting the cell. */
final class Decimals {
    private Decimals() {
    }

    static BigDecimal parse(String cell, String what) {
        try {
            return new BigDecimal(cell.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number: \"" + cell.strip() + "\"");
        }
    }
}

package dev.creditspolicy.requests;

import static dev.creditspolicy.requests.Fields.shown;

import java.math.BigDecimal;

import tools.jackson.databind.JsonNode;

import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.service.Problem;

/**
 * The numbers a request body holds, read exactly and bounded before anything computes with them: amounts of
 * credits, counts of tokens, small whole numbers. {@link Fields} hands each its field's JSON node (null when absent).
 */
final class Numbers {
    private Numbers() {
    }

    /** An amount of credits: a JSON number or numeric string, at least {@code min}, at most 4 fractional digits. */
    static BigDecimal amount(String name, JsonNode n, BigDecimal min, boolean minExclusive) {
        if (n == null) {
            throw Problem.invalid(name, "'" + name + "' is required");
        }
        if (!n.isNumber() && !n.isString()) {
            throw Problem.invalid(name, "'" + name + "' must be a decimal number");
        }
        String text = n.isNumber() ? null : n.asString().strip();
        if (text != null && text.length() > 64) {
            throw Problem.invalid(name, "'" + name + "' must be a decimal number of at most 64 characters; got '"
                    + shown(text) + "'");
        }
        BigDecimal v;
        try {
            v = n.isNumber() ? n.decimalValue() : new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw Problem.invalid(name, "'" + name + "' must be a decimal number; got '"
                    + shown(text != null ? text : n.toString()) + "'");
        }
        if (n.isNumber() && !n.isIntegralNumber() && !n.isBigDecimal()) {
            throw Problem.invalid(name, "'" + name + "' was read as a binary floating-point number; send it as "
                    + "a decimal");
        }
        // Bound the size before anything scales the number or writes it out in full: 1e999999999 is 1 GB as a
        // plain string. Integer digits are precision - scale (as a long: the scale may be near Integer.MIN_VALUE).
        if (v.signum() == 0) {
            v = BigDecimal.ZERO;
        }
        long integerDigits = (long) v.precision() - v.scale();
        if (v.signum() != 0 && integerDigits > 15) {
            throw Problem.invalid(name, v.signum() < 0
                    ? "'" + name + "' must be " + (minExclusive ? "greater than " : "at least ") + min.toPlainString()
                            + "; got " + shown(v.toString())
                    : "'" + name + "' is too large: at most 999999999999999; got " + shown(v.toString()));
        }
        if (v.stripTrailingZeros().scale() > Money.SCALE) {
            throw Problem.invalid(name, "'" + name + "' has more than " + Money.SCALE + " decimal places: "
                    + shown(v.scale() > 64 ? v.toString() : v.toPlainString()));
        }
        // from here v has at most 15 integer and 4 fractional digits: printing it in full is short
        int cmp = v.compareTo(min);
        if (cmp < 0 || (minExclusive && cmp == 0)) {
            throw Problem.invalid(name, "'" + name + "' must be " + (minExclusive ? "greater than " : "at least ")
                    + min.toPlainString() + "; got " + v.stripTrailingZeros().toPlainString());
        }
        if (v.compareTo(new BigDecimal("999999999999999")) > 0) {
            throw Problem.invalid(name, "'" + name + "' is too large: " + v.stripTrailingZeros().toPlainString());
        }
        return Money.of(v);
    }

    /** A count of tokens: a whole JSON number, 0 to {@link Fields#TOKENS_MAX}; null when absent (or JSON null). */
    static Long tokens(String name, JsonNode n) {
        if (n == null) {
            return null;
        }
        BigDecimal v = n.isNumber() && !(n.isFloatingPointNumber() && !n.isBigDecimal()) ? n.decimalValue() : null;
        if (v == null || (long) v.precision() - v.scale() > 12 || v.stripTrailingZeros().scale() > 0
                || v.signum() < 0 || v.compareTo(BigDecimal.valueOf(Fields.TOKENS_MAX)) > 0) {
            throw Problem.invalid(name, "'" + name + "' must be a whole number of tokens from 0 to " + Fields.TOKENS_MAX
                    + "; got " + shown(n.isValueNode() ? n.asString() : n.toString()));
        }
        return v.longValueExact();
    }

    /** A whole number within [min, max]; null when absent (or JSON null). */
    static Integer wholeNumber(String name, JsonNode n, int min, int max) {
        if (n == null) {
            return null;
        }
        // a number written 900 or 900.0 alike (scenario files read every number as a decimal)
        BigDecimal v = n.isNumber() ? n.decimalValue() : null;
        if (v == null || v.stripTrailingZeros().scale() > 0 || v.compareTo(BigDecimal.valueOf(min)) < 0
                || v.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw Problem.invalid(name, "'" + name + "' must be a whole number between " + min + " and " + max);
        }
        return v.intValueExact();
    }
}

package dev.creditspolicy.requests;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.service.Problem;

/**
 * Reads and checks the fields of a request body. The HTTP API and scenario files share it, so a field is read
 * the same way and refused with the same words wherever it comes from.
 */
public final class Fields {
    private final JsonNode body;

    public Fields(JsonNode body, Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw Problem.invalid(null, "the body must be a JSON object");
        }
        for (String name : body.propertyNames()) {
            if (!allowed.contains(name)) {
                throw Problem.invalid(name, "unknown field '" + name + "'; allowed: " + String.join(", ",
                        allowed.stream().sorted().toList()));
            }
        }
        this.body = body;
    }

    private JsonNode node(String name) {
        JsonNode n = body.get(name);
        return n == null || n.isNull() ? null : n;
    }

    public String text(String name) {
        String v = optionalText(name);
        if (v == null) {
            throw Problem.invalid(name, "'" + name + "' is required");
        }
        return v;
    }

    public String optionalText(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        if (!n.isString() && !n.isNumber()) {
            throw Problem.invalid(name, "'" + name + "' must be a string");
        }
        String v = n.asString().strip();
        if (v.isEmpty()) {
            throw Problem.invalid(name, "'" + name + "' must not be blank");
        }
        int max = name.equals("reason") ? 512 : 128; // the lengths the ledger's columns keep
        if (v.length() > max) {
            throw Problem.invalid(name, "'" + name + "' is longer than " + max + " characters");
        }
        return v;
    }

    public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        E v = optionalEnum(name, type);
        if (v == null) {
            throw Problem.invalid(name, "'" + name + "' is required; allowed: " + allowed(type));
        }
        return v;
    }

    public <E extends Enum<E>> E optionalEnum(String name, Class<E> type) {
        String v = optionalText(name);
        if (v == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return e;
            }
        }
        throw new Problem(Problem.VALIDATION_FAILED, "Invalid request field",
                "unknown " + name + " '" + v + "'; allowed: " + allowed(type), name,
                Map.of("allowed", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
    }

    /** An amount of credits: a JSON number or numeric string, at least {@code min}, at most 4 fractional digits. */
    public BigDecimal amount(String name, BigDecimal min, boolean minExclusive) {
        JsonNode n = node(name);
        if (n == null) {
            throw Problem.invalid(name, "'" + name + "' is required");
        }
        if (!n.isNumber() && !n.isString()) {
            throw Problem.invalid(name, "'" + name + "' must be a decimal number");
        }
        BigDecimal v;
        try {
            v = n.isNumber() ? n.decimalValue() : new BigDecimal(n.asString().strip());
        } catch (NumberFormatException e) {
            throw Problem.invalid(name, "'" + name + "' must be a decimal number");
        }
        if (n.isNumber() && !n.isIntegralNumber() && !n.isBigDecimal()) {
            throw Problem.invalid(name, "'" + name + "' was read as a binary floating-point number; send it as "
                    + "a decimal");
        }
        int cmp = v.compareTo(min);
        if (cmp < 0 || (minExclusive && cmp == 0)) {
            throw Problem.invalid(name, "'" + name + "' must be " + (minExclusive ? "greater than " : "at least ")
                    + min.toPlainString() + "; got " + v.toPlainString());
        }
        if (!Money.fitsScale(v)) {
            throw Problem.invalid(name, "'" + name + "' has more than " + Money.SCALE + " decimal places: "
                    + v.toPlainString());
        }
        if (v.compareTo(new BigDecimal("999999999999999")) > 0) {
            throw Problem.invalid(name, "'" + name + "' is too large: " + v.toPlainString());
        }
        return Money.of(v);
    }

    public Instant instant(String name) {
        Instant v = optionalInstant(name);
        if (v == null) {
            throw Problem.invalid(name, "'" + name + "' is required (ISO-8601 with offset, e.g. "
                    + "2026-07-01T00:00:00+08:00)");
        }
        return v;
    }

    public Instant optionalInstant(String name) {
        String v = optionalText(name);
        return v == null ? null : parseInstant(name, v);
    }

    /** The instants both databases store: years 1 to 9999 (PostgreSQL refuses far-future timestamps). */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** ISO-8601 with an offset; microsecond precision at most, which both databases keep exactly. */
    public static Instant parseInstant(String name, String v) {
        Instant t;
        try {
            t = OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw Problem.invalid(name, "'" + name + "' must be an ISO-8601 instant with offset, e.g. "
                    + "2026-07-01T00:00:00+08:00; got '" + v + "'");
        }
        if (t.getNano() % 1000 != 0) {
            throw Problem.invalid(name, "'" + name + "' has more than microsecond precision");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw Problem.invalid(name, "'" + name + "' is out of range: instants from year 1 to 9999; got '" + v
                    + "'");
        }
        return t;
    }

    public static <E extends Enum<E>> String allowed(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        return String.join(", ", names);
    }
}

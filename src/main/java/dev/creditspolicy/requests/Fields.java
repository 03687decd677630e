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
                throw Problem.invalid(shown(name, 64), "unknown field '" + shown(name) + "'; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
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
        String raw = n.asString();
        boolean freeText = name.equals("reason");
        // the lengths the ledger's columns keep; a paging cursor holds an instant and an id
        int max = freeText || name.equals("after") ? 512 : 128;
        if (raw.length() > max + 1024) { // generous room for surrounding blanks, then strip decides
            throw Problem.invalid(name, "'" + name + "' is longer than " + max + " characters");
        }
        checkCharacters(name, raw, freeText);
        String v = raw.strip();
        if (v.isEmpty()) {
            throw Problem.invalid(name, "'" + name + "' must not be blank");
        }
        if (v.length() > max) {
            throw Problem.invalid(name, "'" + name + "' is longer than " + max + " characters");
        }
        return v;
    }

    /**
     * Ids, enum names and instants may hold no control character (C0, DEL, C1), no line or paragraph separator and
     * no unpaired surrogate: PostgreSQL refuses NUL, logs would break on a newline, and an unpaired surrogate is not
     * text. Free text ({@code reason}) may hold tabs and line breaks, nothing else of these.
     */
    public static void checkCharacters(String name, String v, boolean freeText) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean bad;
            if (Character.isHighSurrogate(c)) {
                bad = i + 1 >= v.length() || !Character.isLowSurrogate(v.charAt(i + 1));
                i++;
            } else if (Character.isLowSurrogate(c)) {
                bad = true;
            } else if (freeText && (c == '\t' || c == '\n' || c == '\r')) {
                bad = false;
            } else {
                bad = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            }
            if (bad) {
                throw Problem.invalid(name, "'" + name + "' holds a control character or an unpaired surrogate "
                        + "(U+" + String.format("%04X", (int) c) + ") at position " + i);
            }
        }
    }

    /** An id taken from the path ({@code /v1/accounts/{id}}, {@code /v1/usage/{requestId}}): checked as in a body. */
    public static void pathId(String name, String v) {
        checkCharacters(name, v, false);
        if (v.length() > 128) {
            throw Problem.invalid(name, "'" + name + "' is longer than 128 characters");
        }
    }

    /** Bad input echoed in a detail or a log: at most 40 characters, control characters escaped. */
    public static String shown(String s) {
        return shown(s, 40);
    }

    /** {@code s} cut to {@code max} characters (saying how long it was), control characters written as escapes. */
    public static String shown(String s, int max) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), max);
        StringBuilder b = new StringBuilder(n + 24);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        if (s.length() > max) {
            b.append("...(").append(s.length()).append(" chars)");
        }
        return b.toString();
    }

    /** A small integer from a query parameter: digits only, within [min, max]. */
    public static int intInRange(String name, String v, int min, int max) {
        String s = v == null ? "" : v.strip();
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw Problem.invalid(name, "'" + name + "' must be an integer between " + min + " and " + max
                    + "; got '" + shown(v) + "'");
        }
        int n = Integer.parseInt(s);
        if (n < min || n > max) {
            throw Problem.invalid(name, "'" + name + "' must be between " + min + " and " + max + "; got " + n);
        }
        return n;
    }

    /** Whether the body gives the field (a JSON null counts as absent). */
    public boolean has(String name) {
        return node(name) != null;
    }

    /** The most tokens one call may report of one kind (far beyond any model's context; keeps prices in range). */
    public static final long TOKENS_MAX = 1_000_000_000L;

    /** A count of tokens: a whole JSON number, 0 to {@link #TOKENS_MAX}; null when absent. */
    public Long optionalTokens(String name) {
        return Numbers.tokens(name, node(name));
    }

    /** An optional whole number of the body within [min, max]; null when absent. */
    public Integer optionalInt(String name, int min, int max) {
        return Numbers.wholeNumber(name, node(name), min, max);
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
                "unknown " + name + " '" + shown(v) + "'; allowed: " + allowed(type), name,
                Map.of("allowed", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
    }

    /** An amount of credits: a JSON number or numeric string, at least {@code min}, at most 4 fractional digits. */
    public BigDecimal amount(String name, BigDecimal min, boolean minExclusive) {
        return Numbers.amount(name, node(name), min, minExclusive);
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
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** ISO-8601 with an offset; microsecond precision at most, which both databases keep exactly. */
    public static Instant parseInstant(String name, String v) {
        if (v.length() > 64) {
            throw Problem.invalid(name, "'" + name + "' must be an ISO-8601 instant with offset, e.g. "
                    + "2026-07-01T00:00:00+08:00; got '" + shown(v) + "'");
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw Problem.invalid(name, "'" + name + "' must be an ISO-8601 instant with offset, e.g. "
                    + "2026-07-01T00:00:00+08:00; got '" + shown(v) + "'");
        }
        if (t.getNano() % 1000 != 0) {
            throw Problem.invalid(name, "'" + name + "' has more than microsecond precision");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw Problem.invalid(name, "'" + name + "' is out of range: instants from year 1 to 9999; got '" + shown(v)
                    + "'");
        }
        return t;
    }

    public static <E extends Enum<E>> String allowed(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        return String.join(", ", names);
    }
}

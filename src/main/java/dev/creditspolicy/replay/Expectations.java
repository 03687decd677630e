package dev.creditspolicy.replay;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compares a step's {@code expect} with the answer. Only the keys given are checked; amounts compare as numbers
 * (10 equals 10.0000), instants as instants (+08:00 equals Z); a map value (allocations, expiryChanges) must match
 * exactly.
 */
final class Expectations {
    private Expectations() {
    }

    /** Refuses an expect key the step's kind does not have, before anything runs. */
    static void validate(String file, Scenario.Step step) {
        if (step.expect() == null) {
            return;
        }
        for (String key : step.expect().propertyNames()) {
            String refusal = step.requestKind().refuseExpectKey(key, step.expect().get(key));
            if (refusal != null) {
                throw new ScenarioException(file, step.expectLine(), refusal);
            }
        }
    }

    /** The mismatches, one line each ("key: expected X, actual Y"); empty when the answer meets the expectation. */
    static List<String> compare(ObjectNode expect, JsonNode actual, Set<String> exactMaps) {
        List<String> out = new ArrayList<>();
        for (String key : expect.propertyNames()) {
            compare(key, expect.get(key), actual.get(key), exactMaps.contains(key), out);
        }
        return out;
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, boolean exact, List<String> out) {
        if (expected.isObject()) {
            if (actual == null || !actual.isObject()) {
                out.add(mismatch(path, expected, actual));
                return;
            }
            if (exact) {
                Set<String> extra = new TreeSet<>(actual.propertyNames());
                extra.removeAll(expected.propertyNames());
                for (String k : extra) {
                    out.add(path + "." + k + ": expected (absent), actual " + show(actual.get(k)));
                }
            }
            for (String k : expected.propertyNames()) {
                compare(path + "." + k, expected.get(k), actual.get(k), exact, out);
            }
        } else if (expected.isArray()) {
            if (actual == null || !actual.isArray() || actual.size() != expected.size()) {
                out.add(mismatch(path, expected, actual));
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(path + "[" + i + "]", expected.get(i), actual.get(i), exact, out);
            }
        } else if (!sameScalar(expected, actual)) {
            out.add(mismatch(path, expected, actual));
        }
    }

    static boolean sameScalar(JsonNode expected, JsonNode actual) {
        if (actual == null || actual.isNull()) {
            return expected.isNull();
        }
        if (expected.isNull()) {
            return false;
        }
        String e = expected.asString();
        String a = actual.asString();
        if (e.equals(a)) {
            return true;
        }
        BigDecimal en = number(e);
        BigDecimal an = number(a);
        if (en != null && an != null) {
            return en.compareTo(an) == 0;
        }
        OffsetDateTime et = instant(e);
        OffsetDateTime at = instant(a);
        return et != null && at != null && et.toInstant().equals(at.toInstant());
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static OffsetDateTime instant(String s) {
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String mismatch(String path, JsonNode expected, JsonNode actual) {
        return path + ": expected " + show(expected) + ", actual " + show(actual);
    }

    static String show(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "(absent)";
        }
        return n.isValueNode() ? n.asString() : n.toString();
    }
}

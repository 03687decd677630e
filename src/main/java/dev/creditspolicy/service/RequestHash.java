package dev.creditspolicy.service;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.policy.Sha256;

/**
 * The fingerprint stored with every accepted request, to tell a retry (the same request) from a conflict (the same
 * id, another body). It must survive upgrades: adding a field to a command must not change the hash of a request
 * that leaves that field out, or every retry after a deploy would answer 409.
 *
 * <p>Version 1, the contract: the command's fields (its record components) sorted by name, fields that are null
 * left out, each value in a normal form (an amount as a plain decimal without trailing zeros, an instant as UTC
 * ISO-8601, an enum by its name, text as is), written as the JSON object
 * {@code {"fields":{"<name>":"<value>",...},"kind":"<command>","v":1}}; the hash is the SHA-256 hex of its UTF-8
 * bytes. Pinned by golden tests (RequestHashTest).
 *
 * <p>Requests stored before version 1 carry the hash of the command's {@code toString()} as it was then; {@link
 * #matches} accepts that form too (its format is frozen below, whatever fields commands gain later).
 */
public final class RequestHash {
    static final int VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The fields each command had when its hash was {@code Record.toString()}, in that order. */
    private static final Map<String, List<String>> LEGACY_FIELDS = Map.of(
            "CreateAccount", List.of("accountId", "realm", "plan", "at"),
            "StartCycle", List.of("accountId", "plan", "start", "end", "credits", "lotId"),
            "GrantAddon", List.of("accountId", "lotId", "source", "amount", "effectiveAt", "expiresAt", "reason",
                    "originProduct"),
            "ChangePlan", List.of("accountId", "toPlan", "at", "kind"),
            "Usage", List.of("requestId", "accountId", "realm", "product", "feature", "model", "outcome", "credits",
                    "occurredAt"));

    /**
     * Each command's accessors by field name, sorted, looked up once per class: the reflective look-ups per hash were
     * a tenth of a usage batch's CPU (JFR, issue 27). The hash itself is unchanged (RequestHashTest pins it).
     */
    private static final ClassValue<Map<String, Method>> ACCESSORS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            Map<String, Method> accessors = new TreeMap<>();
            for (RecordComponent c : type.getRecordComponents()) {
                try {
                    accessors.put(c.getName(), type.getMethod(c.getName()));
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException("record " + type.getSimpleName() + " has no accessor "
                            + c.getName(), e);
                }
            }
            return Collections.unmodifiableMap(accessors);
        }
    };

    private RequestHash() {
    }

    /** The hash stored with a new request. */
    public static String of(Record command) {
        return Sha256.hex(canonical(command));
    }

    /** Whether a stored hash is this command's, in the current or in the pre-version-1 form. */
    public static boolean matches(String stored, Record command) {
        if (stored.equals(of(command))) {
            return true;
        }
        String legacy = legacy(command);
        return legacy != null && stored.equals(Sha256.hex(legacy));
    }

    /** The canonical text of version 1 (what is hashed). */
    static String canonical(Record command) {
        Map<String, String> fields = new TreeMap<>();
        for (String name : ACCESSORS.get(command.getClass()).keySet()) {
            Object value = value(command, name);
            if (value != null) {
                fields.put(name, normal(value));
            }
        }
        Map<String, Object> doc = new TreeMap<>();
        doc.put("fields", fields);
        doc.put("kind", command.getClass().getSimpleName());
        doc.put("v", VERSION);
        return JSON.writeValueAsString(doc);
    }

    private static String normal(Object value) {
        if (value instanceof BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Instant t) {
            return t.toString();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return value.toString();
    }

    /** {@code Name[a=1, b=x]} exactly as Java printed the record when the hash was its toString(). */
    static String legacy(Record command) {
        List<String> names = LEGACY_FIELDS.get(command.getClass().getSimpleName());
        if (names == null) {
            return null;
        }
        StringBuilder s = new StringBuilder(command.getClass().getSimpleName()).append('[');
        for (int i = 0; i < names.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(value(command, names.get(i)));
        }
        return s.append(']').toString();
    }

    private static Object value(Record command, String component) {
        Method accessor = ACCESSORS.get(command.getClass()).get(component);
        try {
            if (accessor == null) {
                throw new NoSuchMethodException(component);
            }
            return accessor.invoke(command);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("command " + command.getClass().getSimpleName() + " has no field "
                    + component, e);
        }
    }
}

package dev.creditspolicy.access;

import java.util.Locale;

/** What a key may do (SPEC section 8); written lower-case in requests and answers. */
public enum Role {
    /** evaluate, usage, reading accounts, balance, lots, credits log and usage. */
    SERVICE,
    /** everything SERVICE may, plus accounts, cycles, add-on grants and plan changes. */
    OPERATOR,
    /** rules: read, reload, history; no account data. */
    ANALYST,
    /** everything, and managing keys, the audit and the actuator. */
    ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Spring Security authority of this role. */
    public String authority() {
        return "ROLE_" + name();
    }

    /**
     * Whether a key holding this role may give {@code other} to a key it creates: admin may do everything, so it
     * covers every role; operator covers service (everything service may); each role covers itself.
     */
    public boolean covers(Role other) {
        return this == other || this == ADMIN || (this == OPERATOR && other == SERVICE);
    }

    /** The role of a wire name, or null. */
    public static Role ofWire(String s) {
        for (Role r : values()) {
            if (r.wire().equals(s)) {
                return r;
            }
        }
        return null;
    }
}

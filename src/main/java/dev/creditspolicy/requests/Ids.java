package dev.creditspolicy.requests;

import dev.creditspolicy.service.Problem;

/**
 * The one definition of an id (SPEC section 8, additions of 2026-12): account, lot, request and hold ids are 1 to
 * {@value #MAX} characters of {@code A-Z a-z 0-9 . _ : @ -}, not starting with '.', so that every id that can be
 * created can be named in a path afterwards (no '/', '%', ';', '\', no "." or ".." segment). Key names are a narrower
 * allow-list: {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}. Both are checked on the parsed value, character by character.
 */
public final class Ids {
    public static final int MAX = 128;
    public static final int KEY_NAME_MAX = 64;
    static final String SYNTAX = "1 to " + MAX + " characters of A-Z, a-z, 0-9, '.', '_', ':', '@' or '-', not "
            + "starting with '.'";
    static final String KEY_NAME_SYNTAX = "1 to " + KEY_NAME_MAX + " characters of A-Z, a-z, 0-9, '_' or '-', "
            + "starting with a letter or digit";

    private Ids() {
    }

    public static boolean valid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX || id.charAt(0) == '.') {
            return false;
        }
        return id.chars().allMatch(c -> alphanumeric(c) || c == '.' || c == '_' || c == ':' || c == '@'
                || c == '-');
    }

    public static boolean validKeyName(String name) {
        if (name == null || name.isEmpty() || name.length() > KEY_NAME_MAX || !alphanumeric(name.charAt(0))) {
            return false;
        }
        return name.chars().allMatch(c -> alphanumeric(c) || c == '_' || c == '-');
    }

    /** {@code id} when it is an id, else {@code validation-failed} naming {@code field}. */
    public static String check(String field, String id) {
        if (!valid(id)) {
            throw Problem.invalid(field, "'" + field + "' must be " + SYNTAX + "; got '" + Fields.shown(id) + "'");
        }
        return id;
    }

    public static String checkKeyName(String field, String name) {
        if (!validKeyName(name)) {
            throw Problem.invalid(field, "a key name is " + KEY_NAME_SYNTAX + "; got '" + Fields.shown(name) + "'");
        }
        return name;
    }

    /** A required id field of a body. */
    public static String required(Fields f, String field) {
        return check(field, f.text(field));
    }

    /** An optional id field of a body: null when absent. */
    public static String optional(Fields f, String field) {
        String v = f.optionalText(field);
        return v == null ? null : check(field, v);
    }

    private static boolean alphanumeric(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}

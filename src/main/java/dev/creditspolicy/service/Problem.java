package dev.creditspolicy.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refused request. {@code slug} is the stable last segment of the problem+json type; it is never renamed.
 * Thrown before anything is written, or inside the transaction so the refusal rolls everything back. The service
 * knows no HTTP: the API maps each slug to its status code (api/ProblemTypes).
 */
public class Problem extends RuntimeException {
    public static final String VALIDATION_FAILED = "validation-failed";
    public static final String UNKNOWN_ACCOUNT = "unknown-account";
    public static final String ACCOUNT_EXISTS = "account-exists";
    public static final String REALM_MISMATCH = "realm-mismatch";
    public static final String ADDON_NOT_ALLOWED = "addon-not-allowed";
    public static final String IDEMPOTENCY_CONFLICT = "idempotency-conflict";
    public static final String RULES_INVALID = "rules-invalid";
    public static final String NOT_FOUND = "not-found";
    public static final String CREDITS_LIMIT_EXCEEDED = "credits-limit-exceeded";
    public static final String HOLD_EXPIRED = "hold-expired";
    public static final String HOLD_SETTLED = "hold-settled";
    public static final String UNKNOWN_HOLD = "unknown-hold";
    public static final String NOT_REVERSIBLE = "not-reversible";
    public static final String UNKNOWN_LOT = "unknown-lot";
    public static final String UNKNOWN_REQUEST = "unknown-request";
    // pricing (issue 18): a call that sent its tokens names a model the price table does not price at its instant
    public static final String UNKNOWN_MODEL = "unknown-model";
    // access control (SPEC section 8)
    public static final String UNAUTHENTICATED = "unauthenticated";
    public static final String FORBIDDEN = "forbidden";
    public static final String KEY_EXISTS = "key-exists";
    public static final String UNKNOWN_KEY = "unknown-key";
    // the last valid key holding admin for every realm is never revoked (SPEC section 8, additions of 2026-12)
    public static final String LAST_ADMIN = "last-admin";

    private final String slug;
    private final String title;
    private final String field;
    private final Map<String, Object> extra;

    public Problem(String slug, String title, String detail, String field, Map<String, Object> extra) {
        super(detail);
        this.slug = slug;
        this.title = title;
        this.field = field;
        this.extra = extra == null ? Map.of() : new LinkedHashMap<>(extra);
    }

    public static Problem invalid(String field, String detail) {
        return new Problem(VALIDATION_FAILED, "Invalid request field", detail, field, null);
    }

    public static Problem unknownAccount(String accountId) {
        return new Problem(UNKNOWN_ACCOUNT, "Unknown account", "no account '" + accountId + "'", "accountId",
                null);
    }

    /** The same refusal as {@code UsageService}'s for an unknown request id (a hidden one must not differ). */
    public static Problem unknownHold(String holdId) {
        return new Problem(UNKNOWN_HOLD, "Unknown hold", "no hold '" + holdId + "'", "holdId", null);
    }

    public static Problem unknownRequest(String requestId) {
        return new Problem(NOT_FOUND, "Unknown request", "no decision for request '" + requestId + "'", "requestId",
                null);
    }

    /** No lot with that id on that account (a void). */
    public static Problem unknownLot(String accountId, String lotId) {
        return new Problem(UNKNOWN_LOT, "Unknown lot", "no lot '" + lotId + "' on account '" + accountId + "'",
                "lotId", null);
    }

    /** No decision with that request id to reverse (also for a decision of a realm the caller may not touch). */
    public static Problem unknownReversalTarget(String requestId) {
        return new Problem(UNKNOWN_REQUEST, "Unknown request", "no decision for request '" + requestId + "'",
                "requestId", null);
    }

    public static Problem conflict(String field, String detail) {
        return new Problem(IDEMPOTENCY_CONFLICT, "Idempotency key reused with a different body", detail, field,
                null);
    }

    public String slug() { return slug; }
    public String title() { return title; }
    public String field() { return field; }
    public Map<String, Object> extra() { return extra; }
}

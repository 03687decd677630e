package dev.creditspolicy.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refused request. {@code slug} is the stable last segment of the problem+json type; it is never renamed.
 * Thrown before anything is written, or inside the transaction so the refusal rolls everything back. The slugs, their
 * statuses and titles are declared once, in {@link ProblemType}; the constants below are its slugs under their
 * older names (read by code that refuses by slug).
 */
public class Problem extends RuntimeException {
    public static final String VALIDATION_FAILED = ProblemType.VALIDATION_FAILED.slug();
    public static final String UNKNOWN_ACCOUNT = ProblemType.UNKNOWN_ACCOUNT.slug();
    public static final String ACCOUNT_EXISTS = ProblemType.ACCOUNT_EXISTS.slug();
    public static final String REALM_MISMATCH = ProblemType.REALM_MISMATCH.slug();
    public static final String ADDON_NOT_ALLOWED = ProblemType.ADDON_NOT_ALLOWED.slug();
    public static final String IDEMPOTENCY_CONFLICT = ProblemType.IDEMPOTENCY_CONFLICT.slug();
    public static final String RULES_INVALID = ProblemType.RULES_INVALID.slug();
    public static final String NOT_FOUND = ProblemType.NOT_FOUND.slug();
    public static final String CREDITS_LIMIT_EXCEEDED = ProblemType.CREDITS_LIMIT_EXCEEDED.slug();
    public static final String HOLD_EXPIRED = ProblemType.HOLD_EXPIRED.slug();
    public static final String HOLD_SETTLED = ProblemType.HOLD_SETTLED.slug();
    public static final String UNKNOWN_HOLD = ProblemType.UNKNOWN_HOLD.slug();
    public static final String NOT_REVERSIBLE = ProblemType.NOT_REVERSIBLE.slug();
    public static final String UNKNOWN_LOT = ProblemType.UNKNOWN_LOT.slug();
    public static final String UNKNOWN_REQUEST = ProblemType.UNKNOWN_REQUEST.slug();
    public static final String UNKNOWN_MODEL = ProblemType.UNKNOWN_MODEL.slug();
    public static final String UNAUTHENTICATED = ProblemType.UNAUTHENTICATED.slug();
    public static final String FORBIDDEN = ProblemType.FORBIDDEN.slug();
    public static final String KEY_EXISTS = ProblemType.KEY_EXISTS.slug();
    public static final String UNKNOWN_KEY = ProblemType.UNKNOWN_KEY.slug();
    public static final String UNKNOWN_WEBHOOK = ProblemType.UNKNOWN_WEBHOOK.slug();
    public static final String WEBHOOKS_NOT_CONFIGURED = ProblemType.WEBHOOKS_NOT_CONFIGURED.slug();
    public static final String LAST_ADMIN = ProblemType.LAST_ADMIN.slug();
    public static final String RATE_LIMITED = ProblemType.RATE_LIMITED.slug();
    public static final String TOO_MANY_LOTS = ProblemType.TOO_MANY_LOTS.slug();

    private final String slug;
    private final String title;
    private final String field;
    private final Map<String, Object> extra;

    /**
     * A refusal by slug. {@code title} is answered only for a slug {@link ProblemType} does not declare (one a rule
     * names); a declared slug answers its declared title.
     */
    public Problem(String slug, String title, String detail, String field, Map<String, Object> extra) {
        super(detail);
        this.slug = slug;
        this.title = title;
        this.field = field;
        this.extra = extra == null ? Map.of() : new LinkedHashMap<>(extra);
    }

    public Problem(ProblemType type, String detail, String field, Map<String, Object> extra) {
        this(type.slug(), type.title(), detail, field, extra);
    }

    public static Problem invalid(String field, String detail) {
        return new Problem(ProblemType.VALIDATION_FAILED, detail, field, null);
    }

    public static Problem unknownAccount(String accountId) {
        return new Problem(ProblemType.UNKNOWN_ACCOUNT, "no account '" + accountId + "'", "accountId", null);
    }

    /** The same refusal as {@code UsageService}'s for an unknown request id (a hidden one must not differ). */
    public static Problem unknownHold(String holdId) {
        return new Problem(ProblemType.UNKNOWN_HOLD, "no hold '" + holdId + "'", "holdId", null);
    }

    public static Problem unknownRequest(String requestId) {
        return new Problem(ProblemType.NOT_FOUND, "no decision for request '" + requestId + "'", "requestId",
                null);
    }

    /** No lot with that id on that account (a void). */
    public static Problem unknownLot(String accountId, String lotId) {
        return new Problem(ProblemType.UNKNOWN_LOT, "no lot '" + lotId + "' on account '" + accountId + "'",
                "lotId", null);
    }

    /** No decision with that request id to reverse (also for a decision of a realm the caller may not touch). */
    public static Problem unknownReversalTarget(String requestId) {
        return new Problem(ProblemType.UNKNOWN_REQUEST, "no decision for request '" + requestId + "'",
                "requestId", null);
    }

    public static Problem conflict(String field, String detail) {
        return new Problem(ProblemType.IDEMPOTENCY_CONFLICT, detail, field, null);
    }

    public String slug() { return slug; }
    /** The declared title of the slug's type; the given one for a slug a rule names. */
    public String title() {
        return ProblemType.of(slug).map(ProblemType::title).orElse(title);
    }

    public String field() { return field; }
    public Map<String, Object> extra() { return extra; }
}

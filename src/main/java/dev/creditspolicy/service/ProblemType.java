package dev.creditspolicy.service;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.creditspolicy.policy.RulesBudgetExceeded;

/**
 * Every problem type the service answers, declared once: its slug (the stable last segment of the problem+json
 * {@code type}; never renamed), the HTTP status it answers and its title. The HTTP handlers, the Kafka decisions
 * topic, the OpenAPI document's {@code Problem} schema and the table of docs/http-api.md (checked by a test) all
 * read this. The service itself refuses by slug and never looks at the status.
 *
 * <p>A slug not declared here is either one a rule names (a {@code Refusal} fact: 422) or {@code http-<status>}
 * for a status the container answers without a slug of its own.
 */
public enum ProblemType {
    VALIDATION_FAILED("validation-failed", 400, "Invalid request", Bare.YES),
    REQUEST_HEADER_TOO_LARGE("request-header-too-large", 400, "Request line or headers too large", Bare.NO),
    UNAUTHENTICATED("unauthenticated", 401, "Unauthenticated", Bare.YES),
    FORBIDDEN("forbidden", 403, "Forbidden", Bare.YES),
    NOT_FOUND("not-found", 404, "Not found", Bare.YES),
    UNKNOWN_ACCOUNT("unknown-account", 404, "Unknown account", Bare.NO),
    UNKNOWN_HOLD("unknown-hold", 404, "Unknown hold", Bare.NO),
    UNKNOWN_LOT("unknown-lot", 404, "Unknown lot", Bare.NO),
    UNKNOWN_REQUEST("unknown-request", 404, "Unknown request", Bare.NO),
    UNKNOWN_KEY("unknown-key", 404, "Unknown key", Bare.NO),
    UNKNOWN_WEBHOOK("unknown-webhook", 404, "Unknown webhook or delivery", Bare.NO),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed", Bare.YES),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable", Bare.YES),
    REQUEST_TIMEOUT("request-timeout", 408, "Request timeout", Bare.YES),
    ACCOUNT_EXISTS("account-exists", 409, "Account exists", Bare.NO),
    IDEMPOTENCY_CONFLICT("idempotency-conflict", 409, "Idempotency key reused with a different body", Bare.NO),
    HOLD_SETTLED("hold-settled", 409, "Hold already settled", Bare.NO),
    HOLD_EXPIRED("hold-expired", 409, "Hold expired", Bare.NO),
    KEY_EXISTS("key-exists", 409, "Key exists", Bare.NO),
    LAST_ADMIN("last-admin", 409, "Last admin key", Bare.NO),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large", Bare.YES),
    URI_TOO_LONG("uri-too-long", 414, "URI too long", Bare.YES),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type", Bare.YES),
    REALM_MISMATCH("realm-mismatch", 422, "Realm mismatch", Bare.NO),
    ADDON_NOT_ALLOWED("addon-not-allowed", 422, "Grant refused by the rules", Bare.NO),
    RULES_INVALID("rules-invalid", 422, "Rule set refused; the previous rules keep serving", Bare.NO),
    CREDITS_LIMIT_EXCEEDED("credits-limit-exceeded", 422, "Account credits limit exceeded", Bare.NO),
    TOO_MANY_LOTS("too-many-lots", 422, "Too many active lots", Bare.NO),
    UNKNOWN_MODEL("unknown-model", 422, "Unknown model", Bare.NO),
    NOT_REVERSIBLE("not-reversible", 422, "Decision not reversible", Bare.NO),
    RATE_LIMITED("rate-limited", 429, "Too many requests", Bare.YES),
    INTERNAL_ERROR("internal-error", 500, "Internal error", Bare.YES),
    BUSY("busy", 503, "Service busy", Bare.YES),
    RULES_TIMEOUT(RulesBudgetExceeded.SLUG, 503, "The rules did not decide in time", Bare.NO),
    WEBHOOKS_NOT_CONFIGURED("webhooks-not-configured", 503, "Webhooks not configured", Bare.NO);

    /** The status a rules' refusal (a slug no entry declares) answers. */
    public static final int RULES_REFUSAL_STATUS = 422;

    /** Whether the slug is the one answered for its status alone (by the container, the gate, Spring). */
    enum Bare { YES, NO }

    private static final Map<String, ProblemType> BY_SLUG = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ProblemType::slug, Function.identity()));
    private static final Map<Integer, ProblemType> BY_BARE_STATUS = Arrays.stream(values())
            .filter(t -> t.bare == Bare.YES)
            .collect(Collectors.toUnmodifiableMap(ProblemType::status, Function.identity()));

    private final String slug;
    private final int status;
    private final String title;
    private final Bare bare;

    ProblemType(String slug, int status, String title, Bare bare) {
        this.slug = slug;
        this.status = status;
        this.title = title;
        this.bare = bare;
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public static Optional<ProblemType> of(String slug) {
        return Optional.ofNullable(BY_SLUG.get(slug));
    }

    /** The status of a slug: its declared one, or 422 for a refusal a rule concluded. */
    public static int statusOf(String slug) {
        ProblemType t = BY_SLUG.get(slug);
        return t == null ? RULES_REFUSAL_STATUS : t.status;
    }

    /** The slug answered for a status alone: the declared one, else {@code http-<status>}. */
    public static String slugOfStatus(int status) {
        ProblemType t = BY_BARE_STATUS.get(status);
        return t == null ? "http-" + status : t.slug;
    }

    /** The title of a slug: its declared one, else a generic one. */
    public static String titleOf(String slug) {
        ProblemType t = BY_SLUG.get(slug);
        return t == null ? "Request refused" : t.title;
    }
}

package dev.creditspolicy.api;

import java.util.Map;

import dev.creditspolicy.service.Problem;

/** The HTTP status of each problem slug: the service refuses by slug, the API decides what that means in HTTP. */
public final class ProblemTypes {
    private static final Map<String, Integer> STATUS = Map.ofEntries(
            Map.entry(Problem.VALIDATION_FAILED, 400),
            Map.entry(Problem.UNKNOWN_ACCOUNT, 404),
            Map.entry(Problem.NOT_FOUND, 404),
            Map.entry(Problem.ACCOUNT_EXISTS, 409),
            Map.entry(Problem.IDEMPOTENCY_CONFLICT, 409),
            Map.entry(Problem.REALM_MISMATCH, 422),
            Map.entry(Problem.ADDON_NOT_ALLOWED, 422),
            Map.entry(Problem.RULES_INVALID, 422),
            Map.entry(Problem.CREDITS_LIMIT_EXCEEDED, 422),
            Map.entry(Problem.UNKNOWN_HOLD, 404),
            Map.entry(Problem.UNKNOWN_MODEL, 422),
            Map.entry(Problem.HOLD_SETTLED, 409),
            Map.entry(Problem.HOLD_EXPIRED, 409),
            Map.entry(Problem.UNAUTHENTICATED, 401),
            Map.entry(Problem.FORBIDDEN, 403),
            Map.entry(Problem.KEY_EXISTS, 409),
            Map.entry(Problem.UNKNOWN_KEY, 404),
            Map.entry(Problem.LAST_ADMIN, 409),
            Map.entry(Problem.UNKNOWN_LOT, 404),
            Map.entry(Problem.UNKNOWN_REQUEST, 404),
            Map.entry(Problem.NOT_REVERSIBLE, 422),
            Map.entry("not-acceptable", 406),
            Map.entry("unsupported-media-type", 415),
            Map.entry("payload-too-large", 413),
            Map.entry("method-not-allowed", 405));

    private ProblemTypes() {
    }

    /** Every slug with its own status (for the OpenAPI document); a refusal concluded by the rules is 422. */
    public static Map<String, Integer> all() {
        return STATUS;
    }

    /** A slug no entry names is a refusal concluded by the rules (a Refusal fact names its own): 422. */
    public static int status(String slug) {
        return STATUS.getOrDefault(slug, 422);
    }
}

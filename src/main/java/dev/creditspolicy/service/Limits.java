package dev.creditspolicy.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The bounds on what one request may ask (SPEC section 9, docs/bounds.md): how far ahead of the server clock an
 * event may be dated ({@code credits.limits.future-skew}) and how many lots an account may hold active at one
 * instant ({@code credits.limits.active-lots}).
 */
public record Limits(Clock clock, Duration futureSkew, int activeLots) {
    public static final Duration DEFAULT_FUTURE_SKEW = Duration.ofDays(1);
    public static final int DEFAULT_ACTIVE_LOTS = 1000;

    public static Limits defaults(Clock clock) {
        return new Limits(clock, DEFAULT_FUTURE_SKEW, DEFAULT_ACTIVE_LOTS);
    }

    /**
     * Refuses an event dated more than the skew ahead of the server clock: a call dated a year ahead would otherwise
     * expire every hold in flight and judge lots at an instant nobody has reached.
     */
    public void admitEventTime(String field, Instant at) {
        if (at == null) {
            return;
        }
        Instant latest = clock.instant().plus(futureSkew);
        if (at.isAfter(latest)) {
            throw new Problem(Problem.VALIDATION_FAILED, "Invalid request field", "'" + field + "' " + at
                    + " is more than " + futureSkew + " (credits.limits.future-skew) ahead of the server clock; "
                    + "latest accepted now: " + latest, field,
                    Map.of("bound", "credits.limits.future-skew", "futureSkew", futureSkew.toString(),
                            "latest", latest.toString()));
        }
    }
}

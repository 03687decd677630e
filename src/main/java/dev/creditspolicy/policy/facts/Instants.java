package dev.creditspolicy.policy.facts;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a rule write a date the way the policy states it, with its offset:
 * {@code occurredAt < Instants.at("2026-06-20T00:00+08:00")}. Parsed once per literal.
 */
public final class Instants {
    private static final Map<String, Instant> PARSED = new ConcurrentHashMap<>();

    private Instants() {
    }

    public static Instant at(String isoWithOffset) {
        return PARSED.computeIfAbsent(isoWithOffset, s -> OffsetDateTime.parse(s).toInstant());
    }
}

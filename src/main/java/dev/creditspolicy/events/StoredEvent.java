package dev.creditspolicy.events;

import java.time.Instant;

import dev.creditspolicy.policy.facts.Realm;

/** One row of the outbox: an event as raised, {@code data} the JSON object it carries (see {@link EventJson}). */
public record StoredEvent(long seq, String eventId, String accountId, Realm realm, String type, String subject,
                          Instant occurredAt, String rulesVersion, String data, Instant recordedAt) {
}

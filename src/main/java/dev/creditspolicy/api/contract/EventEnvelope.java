package dev.creditspolicy.api.contract;

import java.time.Instant;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.creditspolicy.policy.facts.Realm;

/**
 * An event as the API lists it and webhooks receive it (events/EventJson.envelope writes it; docs/events.md). For
 * the OpenAPI document only; {@code type}'s values are the event types' wire names (api/OpenApiDocument).
 */
@Schema(description = "An event raised about an account, as every delivery of it sends it")
public record EventEnvelope(
        String id,
        @Schema(description = "the event type, e.g. balance.low") String type,
        Instant occurredAt,
        String accountId,
        Realm realm,
        String rulesVersion,
        @Schema(implementation = Object.class, description = "the event's facts: amounts as numbers with 4 "
                + "decimals, instants in UTC") Map<String, Object> data) {
}

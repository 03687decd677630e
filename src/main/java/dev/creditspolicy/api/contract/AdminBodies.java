package dev.creditspolicy.api.contract;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.requests.Bounds;

/**
 * The bodies of the administrators' calls as the OpenAPI document states them (api/KeysController,
 * webhooks/WebhookRequest). Documentation only, checked against the parsers by OpenApiContractTest.
 */
public final class AdminBodies {
    private AdminBodies() {
    }

    @Schema(description = "A key: its roles and realms (a key gives only what it holds).",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record KeyBody(
            @NotNull @Size(min = 1, max = Bounds.KEY_NAME_MAX) @Pattern(regexp = Bounds.KEY_NAME) String name,
            @ArraySchema(minItems = 1, maxItems = 8, schema = @Schema(description = "a role, in lower case (its "
                    + "values are access/Role's, set by api/OpenApiDocument)")) @NotNull List<String> roles,
            @ArraySchema(minItems = 1, maxItems = 8) @NotNull List<Realm> realms) {
    }

    @Schema(description = "A webhook endpoint: where the events of these types and realms are sent.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record WebhookBody(
            @Schema(description = "an absolute http or https URL with a host, no user info or fragment; within "
                    + "credits.webhooks.allowed-hosts when set") @NotNull @Size(min = 1, max = 2000) URI url,
            @ArraySchema(minItems = 1, maxItems = 50, schema = @Schema(description = "an event type, e.g. "
                    + "balance.low (its values are policy/facts/EventType's wire names, set by api/OpenApiDocument)"))
            @NotNull List<String> eventTypes,
            @ArraySchema(minItems = 1, maxItems = 50) @NotNull List<Realm> realms,
            @Size(min = 1, max = 500) String description) {
    }
}

package dev.creditspolicy.api.contract;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import dev.creditspolicy.requests.Bounds;

/**
 * The body of the one account call that is no request kind, the viewer token's (api/AccountsController), as the
 * OpenAPI document states it; the request kinds' bodies are declared with their kinds (requests/). Documentation
 * only, checked against the parser by BodySchemasTest.
 */
public final class AccountBodies {
    private AccountBodies() {
    }

    @Schema(description = "A token that reads this one account until it expires.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record ViewerTokenBody(
            @Schema(description = "how long the token lasts; 900 when left out")
            @Min(1) @Max(Bounds.VIEWER_TTL_MAX) Integer ttlSeconds) {
    }
}

package dev.creditspolicy.api.contract;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.NotNull;

import dev.creditspolicy.requests.Bounds;
import dev.creditspolicy.requests.EvaluateRequest.EvaluateBody;
import dev.creditspolicy.requests.UsageRequest.UsageBody;

/**
 * The bodies of the batch routes (api/BatchController) as the OpenAPI document states them: each event is the body
 * of its request kind (requests/UsageRequest, EvaluateRequest), whose schema is declared with the kind.
 * Documentation only: BatchBodies reads the envelope and each event is parsed by its kind.
 */
public final class UsageBodies {
    private UsageBodies() {
    }

    @Schema(description = "1 to 1,000 usage events, each decided as POST /v1/usage alone.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record UsageBatchBody(
            @ArraySchema(minItems = 1, maxItems = Bounds.BATCH_MAX) @NotNull List<UsageBody> events) {
    }

    @Schema(description = "1 to 1,000 usage events, each evaluated as POST /v1/evaluate alone.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record EvaluateBatchBody(
            @ArraySchema(minItems = 1, maxItems = Bounds.BATCH_MAX) @NotNull List<EvaluateBody> events) {
    }
}

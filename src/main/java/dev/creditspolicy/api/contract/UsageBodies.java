package dev.creditspolicy.api.contract;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;

/**
 * The bodies of the usage and hold calls as the OpenAPI document states them: the field names, types and bounds
 * their request kinds' parsers accept (requests/UsageRequest, HoldRequest, CommitRequest, ReleaseRequest,
 * ReversalRequest). Documentation only: the controllers still read each body through its kind, which is what refuses
 * (OpenApiContractTest checks that these and the parsers agree field by field).
 */
public final class UsageBodies {
    private UsageBodies() {
    }

    /** What a call cost: {@code credits}, or the tokens it consumed (never both; see the description). */
    public record Cost(
            @Schema(multipleOf = 0.0001, example = "70.5", description = "the credits the call "
                    + "cost (at most 4 decimals); required unless the token counts are sent instead")
            @DecimalMin("0") @DecimalMax(Bounds.AMOUNT_MAX) BigDecimal credits,
            @Schema(description = "tokens the call read; with outputTokens, instead of credits: the rules price them")
            @Min(0) @Max(Bounds.TOKENS_MAX) Long inputTokens,
            @Schema(description = "of which cached (priced at the cached rate); 0 when left out")
            @Min(0) @Max(Bounds.TOKENS_MAX) Long cachedInputTokens,
            @Schema(description = "tokens the call wrote; with inputTokens, instead of credits")
            @Min(0) @Max(Bounds.TOKENS_MAX) Long outputTokens) {
    }

    @Schema(description = "A model call to charge once per requestId: `credits`, or instead `inputTokens` and "
            + "`outputTokens` (and `cachedInputTokens`), never both.",
            additionalProperties = AdditionalPropertiesValue.FALSE, example = Examples.USAGE)
    public record UsageBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the idempotency key of the call")
            @NotNull @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String requestId,
            @NotNull @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String accountId,
            @Schema(description = "the account's realm; another answers realm-mismatch") Realm realm,
            @NotNull Product product,
            @NotNull Feature feature,
            @NotNull @Size(min = 1, max = Bounds.TEXT_MAX) String model,
            @NotNull Outcome outcome,
            @JsonUnwrapped Cost cost,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime occurredAt) {
    }

    @Schema(description = "A usage body to evaluate: as for POST /v1/usage, with requestId optional; nothing is "
            + "stored.", additionalProperties = AdditionalPropertiesValue.FALSE, example = Examples.USAGE)
    public record EvaluateBody(
            @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String requestId,
            @NotNull @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String accountId,
            Realm realm,
            @NotNull Product product,
            @NotNull Feature feature,
            @NotNull @Size(min = 1, max = Bounds.TEXT_MAX) String model,
            @NotNull Outcome outcome,
            @JsonUnwrapped Cost cost,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime occurredAt) {
    }

    @Schema(description = "Credits to reserve before a model call: `credits`, or an estimate of its tokens (the "
            + "rules price it).", additionalProperties = AdditionalPropertiesValue.FALSE, example = Examples.HOLD)
    public record HoldBody(
            @NotNull @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String holdId,
            @NotNull @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String accountId,
            Realm realm,
            @NotNull Product product,
            @NotNull Feature feature,
            @NotNull @Size(min = 1, max = Bounds.TEXT_MAX) String model,
            @JsonUnwrapped Cost cost,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime occurredAt,
            @Schema(description = "how long the hold lasts; 900 when left out")
            @Min(1) @Max(Bounds.HOLD_TTL_MAX) Integer ttlSeconds) {
    }

    @Schema(description = "Settles a hold as a usage decision under the hold's id: what the call cost in the end.",
            additionalProperties = AdditionalPropertiesValue.FALSE, example = Examples.COMMIT)
    public record CommitBody(
            @NotNull Outcome outcome,
            @JsonUnwrapped Cost cost,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime occurredAt) {
    }

    @Schema(description = "Cancels a hold: everything it holds goes back.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record ReleaseBody(@Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime occurredAt) {
    }

    @Schema(description = "Reverses a charge: every allocation goes back to its lot.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record ReversalBody(
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime at,
            @NotNull @Size(min = 1, max = Bounds.REASON_MAX) String reason) {
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

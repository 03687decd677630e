package dev.creditspolicy.api.contract;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;

/**
 * The bodies of the account calls as the OpenAPI document states them: the fields, types and bounds their parsers
 * accept (requests/AccountRequest, CycleRequest, GrantRequest, PlanChangeRequest, VoidRequest; the viewer token's
 * in api/AccountsController). Documentation only, checked against the parsers by OpenApiContractTest.
 */
public final class AccountBodies {
    private AccountBodies() {
    }

    @Schema(description = "A new account, on its plan from `at`.", additionalProperties = AdditionalPropertiesValue.FALSE,
            example = Examples.ACCOUNT)
    public record AccountBody(
            @NotNull @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String accountId,
            @NotNull Realm realm,
            @NotNull Plan plan,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime at) {
    }

    @Schema(description = "A subscription cycle: grants the plan's lot for [start, end) and logs it.",
            additionalProperties = AdditionalPropertiesValue.FALSE, example = Examples.CYCLE)
    public record CycleBody(
            @NotNull Plan plan,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime start,
            @Schema(description = "after start; " + Bounds.INSTANT) @NotNull OffsetDateTime end,
            @Schema(multipleOf = 0.0001, description = "the plan's credits, more than 0, at most 4 decimals")
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(Bounds.AMOUNT_MAX) BigDecimal credits,
            @Schema(description = "the lot's id; the service makes one when left out")
            @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String lotId) {
    }

    @Schema(description = "Add-on credits: a purchase or a promotion.",
            additionalProperties = AdditionalPropertiesValue.FALSE, example = Examples.GRANT)
    public record GrantBody(
            @Schema(description = "the lot's id; the service makes one when left out")
            @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String lotId,
            @Schema(allowableValues = {"PURCHASE", "PROMOTION"}, description = "plan credits come with a cycle")
            @NotNull String source,
            @Schema(multipleOf = 0.0001, description = "more than 0, at most 4 decimals")
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(Bounds.AMOUNT_MAX) BigDecimal amount,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime effectiveAt,
            @Schema(description = "after effectiveAt; " + Bounds.INSTANT) @NotNull OffsetDateTime expiresAt,
            @NotNull @Size(min = 1, max = Bounds.REASON_MAX) String reason,
            @Schema(description = "the product the credits were bought for, when only it may use them")
            Product originProduct) {
    }

    @Schema(description = "An upgrade or a downgrade at `at`.", additionalProperties = AdditionalPropertiesValue.FALSE)
    public record PlanChangeBody(
            @NotNull Plan toPlan,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime at,
            @NotNull PlanChangeKind kind) {
    }

    @Schema(description = "Voids a lot: from `at` on nothing can draw on it.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record VoidBody(
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime at,
            @NotNull @Size(min = 1, max = Bounds.REASON_MAX) String reason) {
    }

    @Schema(description = "A token that reads this one account until it expires.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record ViewerTokenBody(
            @Schema(description = "how long the token lasts; 900 when left out")
            @Min(1) @Max(Bounds.VIEWER_TTL_MAX) Integer ttlSeconds) {
    }
}

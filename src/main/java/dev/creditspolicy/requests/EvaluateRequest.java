package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.REALM_MISMATCH;
import static dev.creditspolicy.service.ProblemType.RULES_TIMEOUT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_MODEL;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;

import dev.creditspolicy.service.Views.ExplainedDecision;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.CreditsServices;

/** {@code POST /v1/evaluate}, step {@code evaluate}: the decision a usage request would get; stores nothing. */
public final class EvaluateRequest extends RequestKind<Usage, ExplainedDecision> {
    EvaluateRequest() {
        super("evaluate", AccountField.BODY, UsageRequest.DECISION_KEYS, null, List.of(),
                UsageRequest.ALLOCATIONS);
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.post("/v1/evaluate", Endpoint.CALLERS, EvaluateBody.class, "evaluateUsage", "usage",
                        "The decision a usage call would get now; stores nothing").query("explain")
                .refuses(UNKNOWN_ACCOUNT, REALM_MISMATCH, UNKNOWN_MODEL, RULES_TIMEOUT);
    }

    /** The body's schema: a usage body whose requestId is optional. */
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
            @JsonUnwrapped UsageRequest.Cost cost,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime occurredAt) {
    }

    @Override
    public Usage parse(String accountId, JsonNode body) {
        return UsageRequest.parse(body, false);
    }


    @Override
    public String accountOf(Usage cmd) {
        return cmd.accountId();
    }

    @Override
    public ExplainedDecision execute(CreditsServices s, Usage cmd) {
        return execute(s, cmd, false);
    }

    @Override
    public ExplainedDecision execute(CreditsServices s, Usage cmd, boolean explain) {
        return s.usage().evaluate(cmd, explain);
    }

    @Override
    public Instant clockAt(Usage cmd) {
        return cmd.occurredAt();
    }

    @Override
    public Instant eventTime(Usage cmd) {
        return cmd.occurredAt();
    }


}

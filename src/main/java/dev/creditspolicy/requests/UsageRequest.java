package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.IDEMPOTENCY_CONFLICT;
import static dev.creditspolicy.service.ProblemType.REALM_MISMATCH;
import static dev.creditspolicy.service.ProblemType.RULES_TIMEOUT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_MODEL;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.UsageService.StoredUsage;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.ExplainedDecision;
import dev.creditspolicy.store.Rows.EventKind;

/** {@code POST /v1/usage}, step {@code usage}: a model call, charged (or not) once per request id. */
public final class UsageRequest extends RequestKind<Usage, Answer<ExplainedDecision>> {
    static final Set<String> DECISION_KEYS = Set.of("status", "reason", "charged", "shortfall", "allocations",
            "balanceAfter", "rulesVersion", "firedRules", "price");
    /** Allocations as a step expects them: {lotId: amount}. */
    static final ListAsMap ALLOCATIONS = new ListAsMap("allocations", "lotId", "amount");

    UsageRequest() {
        super("usage", AccountField.BODY, DECISION_KEYS, EventKind.USAGE,
                List.of("status", "reason", "charged", "shortfall", "allocations", "price"), ALLOCATIONS);
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.post("/v1/usage", Endpoint.CALLERS, UsageBody.class, "recordUsage", "usage",
                        "Decides and records a model call, once per requestId").query("explain")
                .refuses(UNKNOWN_ACCOUNT, REALM_MISMATCH, IDEMPOTENCY_CONFLICT, UNKNOWN_MODEL, RULES_TIMEOUT);
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

    /** The body's schema: the fields, types and bounds {@link #parse(JsonNode, boolean)} accepts. */
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

    /** The usage body; {@code requestIdRequired} is false for evaluate. */
    static Usage parse(JsonNode body, boolean requestIdRequired) {
        Fields f = new Fields(body, CostFields.with("requestId", "accountId", "realm", "product", "feature", "model",
                "outcome", "credits", "occurredAt"));
        String requestId = requestIdRequired ? Ids.required(f, "requestId")
                : Ids.optional(f, "requestId");
        String accountId = Ids.required(f, "accountId");
        Realm realm = f.optionalEnum("realm", Realm.class);
        Product product = f.enumValue("product", Product.class);
        Feature feature = f.enumValue("feature", Feature.class);
        String model = f.text("model");
        Outcome outcome = f.enumValue("outcome", Outcome.class);
        CostFields cost = CostFields.read(f);
        return new Usage(requestId, accountId, realm, product, feature, model, outcome, cost.credits(),
                f.instant("occurredAt"), cost.inputTokens(), cost.cachedInputTokens(), cost.outputTokens());
    }

    @Override
    public Usage parse(String accountId, JsonNode body) {
        return parse(body, true);
    }


    @Override
    public String accountOf(Usage cmd) {
        return cmd.accountId();
    }

    @Override
    public Answer<ExplainedDecision> execute(CreditsServices s, Usage cmd) {
        return execute(s, cmd, false);
    }

    @Override
    public Answer<ExplainedDecision> execute(CreditsServices s, Usage cmd, boolean explain) {
        return s.usage().record(cmd, explain);
    }

    @Override
    public Instant clockAt(Usage cmd) {
        return cmd.occurredAt();
    }

    @Override
    public Instant eventTime(Usage cmd) {
        return cmd.occurredAt();
    }



    @Override
    public Stored<Usage, Answer<ExplainedDecision>> stored(CreditsServices s, String accountId, String ref) {
        StoredUsage u = s.usage().stored(ref);
        return new Stored<>(u.request(), new Answer<>(new ExplainedDecision(u.decision(), null), false));
    }
}

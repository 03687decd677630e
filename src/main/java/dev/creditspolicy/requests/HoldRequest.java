package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.IDEMPOTENCY_CONFLICT;
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
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands.Hold;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.HoldService;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.HoldViews.StoredHold;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.HoldView;
import dev.creditspolicy.store.Rows.EventKind;

/** {@code POST /v1/holds}, step {@code hold}: reserve credits before a model call. */
final class HoldRequest extends RequestKind<Hold, Answer<HoldView>> {
    HoldRequest() {
        super("hold", AccountField.BODY, Set.of("status", "reason", "held", "shortfall", "allocations", "expiresAt",
                        "balanceAfter", "rulesVersion", "firedRules", "price"), EventKind.HOLD,
                List.of("status", "reason", "held", "shortfall", "allocations", "price"), UsageRequest.ALLOCATIONS);
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.post("/v1/holds", Endpoint.CALLERS, HoldBody.class, "holdCredits", "holds",
                        "Reserves credits before a model call, once per holdId")
                .refuses(UNKNOWN_ACCOUNT, REALM_MISMATCH, IDEMPOTENCY_CONFLICT, UNKNOWN_MODEL, RULES_TIMEOUT);
    }

    @Schema(description = "Credits to reserve before a model call: `credits`, or an estimate of its tokens (the "
            + "rules price it).", additionalProperties = AdditionalPropertiesValue.FALSE, example = Examples.HOLD)
    record HoldBody(
            @NotNull @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String holdId,
            @NotNull @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String accountId,
            Realm realm,
            @NotNull Product product,
            @NotNull Feature feature,
            @NotNull @Size(min = 1, max = Bounds.TEXT_MAX) String model,
            @JsonUnwrapped UsageRequest.Cost cost,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime occurredAt,
            @Schema(description = "how long the hold lasts; 900 when left out")
            @Min(1) @Max(Bounds.HOLD_TTL_MAX) Integer ttlSeconds) {
    }

    @Override
    public Hold parse(String accountId, JsonNode body) {
        Fields f = new Fields(body, CostFields.with("holdId", "accountId", "realm", "product", "feature", "model",
                "credits", "occurredAt", "ttlSeconds"));
        String holdId = Ids.required(f, "holdId");
        String account = Ids.required(f, "accountId");
        Realm realm = f.optionalEnum("realm", Realm.class);
        Product product = f.enumValue("product", Product.class);
        Feature feature = f.enumValue("feature", Feature.class);
        String model = f.text("model");
        CostFields cost = CostFields.read(f);
        Instant occurredAt = f.instant("occurredAt");
        Integer ttl = f.optionalInt("ttlSeconds", 1, HoldService.TTL_MAX_SECONDS);
        // the answer's expiresAt must be an instant the service can answer and store (years 1 to 9999)
        Instant expiresAt = occurredAt.plusSeconds(ttl == null ? HoldService.TTL_DEFAULT_SECONDS : ttl);
        if (expiresAt.isAfter(Fields.LATEST)) {
            throw Problem.invalid("occurredAt", "a hold at " + occurredAt + " would expire at " + expiresAt
                    + ", after the last instant the service answers (" + Fields.LATEST + ")");
        }
        return new Hold(holdId, account, realm, product, feature, model, cost.credits(), occurredAt, ttl,
                cost.inputTokens(), cost.cachedInputTokens(), cost.outputTokens());
    }

    @Override
    public String accountOf(Hold cmd) {
        return cmd.accountId();
    }

    @Override
    public Answer<HoldView> execute(CreditsServices s, Hold cmd) {
        return s.holds().hold(cmd);
    }

    @Override
    public Instant clockAt(Hold cmd) {
        return cmd.occurredAt();
    }

    @Override
    public Instant eventTime(Hold cmd) {
        return cmd.occurredAt();
    }

    @Override
    public Stored<Hold, Answer<HoldView>> stored(CreditsServices s, String accountId, String ref) {
        StoredHold h = s.holdViews().storedHold(ref);
        return new Stored<>(h.request(), new Answer<>(h.answer(), false));
    }
}

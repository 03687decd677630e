package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.HOLD_EXPIRED;
import static dev.creditspolicy.service.ProblemType.HOLD_SETTLED;
import static dev.creditspolicy.service.ProblemType.IDEMPOTENCY_CONFLICT;
import static dev.creditspolicy.service.ProblemType.RULES_TIMEOUT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_HOLD;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_MODEL;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.service.Commands.Commit;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.HoldViews.StoredCommit;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.CommitView;
import dev.creditspolicy.store.Rows.EventKind;

/** {@code POST /v1/holds/{holdId}/commit}, step {@code commit: {hold: ID, ...}}: settle a hold as a usage decision. */
final class CommitRequest extends RequestKind<Commit, Answer<CommitView>> {
    CommitRequest() {
        super("commit", AccountField.HOLD, Set.of("status", "reason", "charged", "shortfall", "released",
                        "allocations", "balanceAfter", "rulesVersion", "firedRules", "price"), EventKind.HOLD_COMMIT,
                List.of("status", "reason", "charged", "shortfall", "released", "allocations", "price"),
                UsageRequest.ALLOCATIONS);
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.post("/v1/holds/{holdId}/commit", Endpoint.CALLERS, CommitBody.class, "commitHold", "holds",
                        "Settles a hold as a usage decision under the hold's id")
                .refuses(UNKNOWN_HOLD, HOLD_SETTLED, HOLD_EXPIRED, IDEMPOTENCY_CONFLICT, UNKNOWN_MODEL, RULES_TIMEOUT);
    }

    @Schema(description = "Settles a hold as a usage decision under the hold's id: what the call cost in the end.",
            additionalProperties = AdditionalPropertiesValue.FALSE, example = Examples.COMMIT)
    record CommitBody(
            @NotNull Outcome outcome,
            @JsonUnwrapped UsageRequest.Cost cost,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime occurredAt) {
    }

    /** {@code holdId} is the path's. */
    @Override
    public Commit parse(String holdId, JsonNode body) {
        Fields f = new Fields(body, CostFields.with("outcome", "credits", "occurredAt"));
        Fields.pathId("holdId", holdId);
        Outcome outcome = f.enumValue("outcome", Outcome.class);
        CostFields cost = CostFields.read(f);
        return new Commit(holdId, outcome, cost.credits(), f.instant("occurredAt"), cost.inputTokens(),
                cost.cachedInputTokens(), cost.outputTokens());
    }

    @Override
    public String holdOf(Commit cmd) {
        return cmd.holdId();
    }

    @Override
    public Answer<CommitView> execute(CreditsServices s, Commit cmd) {
        return s.holds().commit(cmd);
    }

    @Override
    public Instant clockAt(Commit cmd) {
        return cmd.occurredAt();
    }

    @Override
    public Instant eventTime(Commit cmd) {
        return cmd.occurredAt();
    }

    @Override
    public Stored<Commit, Answer<CommitView>> stored(CreditsServices s, String accountId, String ref) {
        StoredCommit c = s.holdViews().storedCommit(ref);
        return new Stored<>(c.request(), new Answer<>(c.answer(), false));
    }
}

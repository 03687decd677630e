package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.IDEMPOTENCY_CONFLICT;
import static dev.creditspolicy.service.ProblemType.NOT_REVERSIBLE;
import static dev.creditspolicy.service.ProblemType.RULES_TIMEOUT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_REQUEST;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.service.Commands.Reversal;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.ReversalView;
import dev.creditspolicy.store.Rows.EventKind;

/**
 * {@code POST /v1/usage/{requestId}/reversal}, step {@code reversal: {requestId, at, reason}}: a charge that should
 * not have been made goes back to its lots.
 */
final class ReversalRequest extends RequestKind<Reversal, Answer<ReversalView>> {
    ReversalRequest() {
        super("reversal", AccountField.BODY, Set.of("requestId", "status", "reversed", "allocations", "at", "reason",
                        "forfeited", "rulesVersion", "firedRules"), EventKind.REVERSAL,
                List.of("status", "reversed", "allocations"), UsageRequest.ALLOCATIONS);
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.post("/v1/usage/{requestId}/reversal", Endpoint.OPERATORS, ReversalBody.class, "reverseUsage",
                        "usage", "Reverses a charge: its allocations go back to their lots")
                .audited("reversal", "{requestId}")
                .refuses(UNKNOWN_REQUEST, NOT_REVERSIBLE, IDEMPOTENCY_CONFLICT, RULES_TIMEOUT);
    }

    @Schema(description = "Reverses a charge: every allocation goes back to its lot.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    record ReversalBody(
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime at,
            @NotNull @Size(min = 1, max = Bounds.REASON_MAX) String reason) {
    }

    /** A scenario step names the request in its body; the HTTP call passes the path's (and the body may not). */
    @Override
    public Reversal parse(String pathRequestId, JsonNode body) {
        boolean fromStep = pathRequestId == null;
        Fields f = new Fields(body, fromStep ? Set.of("requestId", "at", "reason") : Set.of("at", "reason"));
        String requestId = fromStep ? Ids.required(f, "requestId") : pathRequestId;
        Fields.pathId("requestId", requestId);
        return new Reversal(requestId, f.instant("at"), f.text("reason"));
    }

    @Override
    public String reversalOf(Reversal cmd) {
        return cmd.requestId();
    }

    @Override
    public Answer<ReversalView> execute(CreditsServices s, Reversal cmd) {
        return s.corrections().reverse(cmd);
    }

    @Override
    public Instant clockAt(Reversal cmd) {
        return cmd.at();
    }

    @Override
    public Stored<Reversal, Answer<ReversalView>> stored(CreditsServices s, String accountId, String ref) {
        ReversalView r = s.corrections().reversalOf(ref).orElseThrow();
        return new Stored<>(new Reversal(r.requestId(), r.at(), r.reason()), new Answer<>(r, false));
    }
}

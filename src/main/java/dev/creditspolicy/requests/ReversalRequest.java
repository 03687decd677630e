package dev.creditspolicy.requests;

import java.time.Instant;
import java.util.List;
import java.util.Set;

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

package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.UNKNOWN_HOLD;

import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.creditspolicy.service.Commands.HoldLookup;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.HoldView;

/** {@code GET /v1/holds/{holdId}}, step {@code holdState: {hold: ID}}: a hold, where it stands, and its outcome. */
final class HoldReadRequest extends RequestKind<HoldLookup, HoldView> {
    HoldReadRequest() {
        super("holdState", AccountField.HOLD, Set.of("status", "state", "reason", "held", "released", "allocations",
                "expiresAt", "settledAt"), null, List.of(), UsageRequest.ALLOCATIONS);
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.get("/v1/holds/{holdId}", Endpoint.CALLERS, "getHold", "holds", "A hold and where it stands")
                .refuses(UNKNOWN_HOLD);
    }

    @Override
    public HoldLookup parse(String holdId, JsonNode body) {
        new Fields(body, Set.of());
        Fields.pathId("holdId", holdId);
        return new HoldLookup(holdId);
    }

    @Override
    public String holdOf(HoldLookup cmd) {
        return cmd.holdId();
    }

    @Override
    public HoldView execute(CreditsServices s, HoldLookup cmd) {
        return s.holdViews().find(cmd.holdId());
    }
}

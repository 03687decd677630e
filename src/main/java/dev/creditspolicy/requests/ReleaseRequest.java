package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.HOLD_EXPIRED;
import static dev.creditspolicy.service.ProblemType.HOLD_SETTLED;
import static dev.creditspolicy.service.ProblemType.IDEMPOTENCY_CONFLICT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_HOLD;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.service.Commands.Release;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.HoldViews.StoredRelease;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.HoldView;
import dev.creditspolicy.store.Rows.EventKind;

/** {@code POST /v1/holds/{holdId}/release}, step {@code release: {hold: ID, occurredAt}}: cancel a hold. */
final class ReleaseRequest extends RequestKind<Release, Answer<HoldView>> {
    ReleaseRequest() {
        super("release", AccountField.HOLD, Set.of("status", "reason", "held", "released", "allocations"),
                EventKind.HOLD_RELEASE, List.of("status", "released"), UsageRequest.ALLOCATIONS);
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.post("/v1/holds/{holdId}/release", Endpoint.CALLERS, ReleaseBody.class, "releaseHold",
                "holds", "Cancels a hold: everything it holds goes back")
                .refuses(UNKNOWN_HOLD, HOLD_SETTLED, HOLD_EXPIRED, IDEMPOTENCY_CONFLICT);
    }

    @Schema(description = "Cancels a hold: everything it holds goes back.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    record ReleaseBody(@Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime occurredAt) {
    }

    @Override
    public Release parse(String holdId, JsonNode body) {
        Fields f = new Fields(body, Set.of("occurredAt"));
        Fields.pathId("holdId", holdId);
        return new Release(holdId, f.instant("occurredAt"));
    }

    @Override
    public String holdOf(Release cmd) {
        return cmd.holdId();
    }

    @Override
    public Answer<HoldView> execute(CreditsServices s, Release cmd) {
        return s.holds().release(cmd);
    }

    @Override
    public Instant clockAt(Release cmd) {
        return cmd.occurredAt();
    }

    @Override
    public Instant eventTime(Release cmd) {
        return cmd.occurredAt();
    }

    @Override
    public Stored<Release, Answer<HoldView>> stored(CreditsServices s, String accountId, String ref) {
        StoredRelease r = s.holdViews().storedRelease(ref);
        return new Stored<>(r.request(), new Answer<>(r.answer(), false));
    }
}

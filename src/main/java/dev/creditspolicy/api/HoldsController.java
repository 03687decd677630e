package dev.creditspolicy.api;

import static dev.creditspolicy.service.ProblemType.HOLD_EXPIRED;
import static dev.creditspolicy.service.ProblemType.HOLD_SETTLED;
import static dev.creditspolicy.service.ProblemType.IDEMPOTENCY_CONFLICT;
import static dev.creditspolicy.service.ProblemType.REALM_MISMATCH;
import static dev.creditspolicy.service.ProblemType.RULES_TIMEOUT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_HOLD;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_MODEL;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.api.contract.Answers;
import dev.creditspolicy.api.contract.UsageBodies.CommitBody;
import dev.creditspolicy.api.contract.UsageBodies.HoldBody;
import dev.creditspolicy.api.contract.UsageBodies.ReleaseBody;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.CommitView;
import dev.creditspolicy.service.Views.HoldView;

/** Holds (SPEC section 6): reserve credits before a model call, commit or release after it. */
@RestController
@RequestMapping("/v1/holds")
@Tag(name = "holds", description = "Credits reserved before a long model call and settled after it")
class HoldsController {
    private final CreditsServices services;

    HoldsController(CreditsServices services) {
        this.services = services;
    }

    @PostMapping
    @Operation(operationId = "holdCredits", summary = "Reserves credits before a model call, once per holdId")
    @Answers(refuses = {UNKNOWN_ACCOUNT, REALM_MISMATCH, IDEMPOTENCY_CONFLICT, UNKNOWN_MODEL, RULES_TIMEOUT})
    ResponseEntity<HoldView> hold(@RequestBody @Schema(implementation = HoldBody.class) JsonNode body) {
        return Responses.of(Kinds.HOLD.execute(services, Callers.scope(), Kinds.HOLD.parse(null, body), false), 200);
    }

    @PostMapping("/{holdId}/commit")
    @Operation(operationId = "commitHold", summary = "Settles a hold as a usage decision under the hold's id")
    @Answers(refuses = {UNKNOWN_HOLD, HOLD_SETTLED, HOLD_EXPIRED, IDEMPOTENCY_CONFLICT, UNKNOWN_MODEL,
            RULES_TIMEOUT})
    ResponseEntity<CommitView> commit(@PathVariable String holdId,
                                      @RequestBody @Schema(implementation = CommitBody.class) JsonNode body) {
        return Responses.of(Kinds.COMMIT.execute(services, Callers.scope(), Kinds.COMMIT.parse(holdId, body), false), 200);
    }

    @PostMapping("/{holdId}/release")
    @Operation(operationId = "releaseHold", summary = "Cancels a hold: everything it holds goes back")
    @Answers(refuses = {UNKNOWN_HOLD, HOLD_SETTLED, HOLD_EXPIRED, IDEMPOTENCY_CONFLICT})
    ResponseEntity<HoldView> release(@PathVariable String holdId,
                                     @RequestBody @Schema(implementation = ReleaseBody.class) JsonNode body) {
        return Responses.of(Kinds.RELEASE.execute(services, Callers.scope(), Kinds.RELEASE.parse(holdId, body), false), 200);
    }

    @GetMapping("/{holdId}")
    @Operation(operationId = "getHold", summary = "A hold and where it stands")
    @Answers(refuses = UNKNOWN_HOLD)
    HoldView find(@PathVariable String holdId) {
        return Kinds.HOLD_STATE.execute(services, Callers.scope(), Kinds.HOLD_STATE.parse(holdId, Queries.of()), false);
    }
}

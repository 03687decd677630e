package dev.creditspolicy.api;

import static dev.creditspolicy.service.ProblemType.IDEMPOTENCY_CONFLICT;
import static dev.creditspolicy.service.ProblemType.NOT_FOUND;
import static dev.creditspolicy.service.ProblemType.NOT_REVERSIBLE;
import static dev.creditspolicy.service.ProblemType.REALM_MISMATCH;
import static dev.creditspolicy.service.ProblemType.RULES_TIMEOUT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_MODEL;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_REQUEST;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.api.contract.Answers;
import dev.creditspolicy.api.contract.UsageBodies.EvaluateBody;
import dev.creditspolicy.api.contract.UsageBodies.ReversalBody;
import dev.creditspolicy.api.contract.UsageBodies.UsageBody;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.Views.ExplainedDecision;
import dev.creditspolicy.service.Views.ReversalView;
import dev.creditspolicy.service.Views.UsageRecord;

@RestController
@RequestMapping("/v1")
@Tag(name = "usage", description = "Evaluating, recording and reversing model calls")
class UsageController {
    private final CreditsServices services;
    private final CallerCounters counters;
    private final Audited audited;

    UsageController(CreditsServices services, CallerCounters counters, Audited audited) {
        this.services = services;
        this.counters = counters;
        this.audited = audited;
    }

    /**
     * Dry run: the decision the request would get now; nothing is stored. {@code explain=true} adds every lot of the
     * account and why it was or was not drawn.
     */
    @PostMapping("/evaluate")
    @Operation(operationId = "evaluateUsage", summary = "The decision a usage call would get now; stores nothing")
    @Answers(refuses = {UNKNOWN_ACCOUNT, REALM_MISMATCH, UNKNOWN_MODEL, RULES_TIMEOUT})
    ExplainedDecision evaluate(@RequestBody @Schema(implementation = EvaluateBody.class) JsonNode body,
                               @RequestParam(required = false) String explain) {
        return Kinds.EVALUATE.execute(services, Callers.scope(), Kinds.EVALUATE.parse(null, body),
                explain(explain));
    }

    @PostMapping("/usage")
    @Operation(operationId = "recordUsage", summary = "Decides and records a model call, once per requestId")
    @Answers(refuses = {UNKNOWN_ACCOUNT, REALM_MISMATCH, IDEMPOTENCY_CONFLICT, UNKNOWN_MODEL, RULES_TIMEOUT})
    ResponseEntity<ExplainedDecision> record(@RequestBody @Schema(implementation = UsageBody.class) JsonNode body,
                                             @RequestParam(required = false) String explain) {
        var cmd = Kinds.USAGE.parse(null, body);
        var answer = Kinds.USAGE.execute(services, Callers.scope(), cmd, explain(explain));
        counters.count(answer);
        return Responses.of(answer, 200);
    }

    private static boolean explain(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw Problem.invalid("explain", "'explain' is true or false");
    }

    /** The stored decision, with its reversal beside it when it has one. */
    @GetMapping("/usage/{requestId}")
    @Operation(operationId = "getUsageDecision", summary = "A stored decision, with its reversal beside it")
    @Answers(refuses = NOT_FOUND)
    UsageRecord find(@PathVariable String requestId) {
        Callers.scope().admitRequest(services, requestId);
        UsageDecision decision = services.usage().find(requestId);
        return new UsageRecord(decision, services.corrections().reversalOf(requestId).orElse(null));
    }

    /** A charge that should not have been made (SPEC section 7): its allocations go back to their lots. */
    @PostMapping("/usage/{requestId}/reversal")
    @Operation(operationId = "reverseUsage", summary = "Reverses a charge: its allocations go back to their lots")
    @Answers(refuses = {UNKNOWN_REQUEST, NOT_REVERSIBLE, IDEMPOTENCY_CONFLICT, RULES_TIMEOUT})
    ResponseEntity<ReversalView> reverse(@PathVariable String requestId,
                                         @RequestBody @Schema(implementation = ReversalBody.class) JsonNode body) {
        var cmd = Kinds.REVERSAL.parse(requestId, body);
        return Responses.of(audited.change("reversal", requestId, body,
                Kinds.REVERSAL.execute(services, Callers.scope(), cmd, false)), 200);
    }
}

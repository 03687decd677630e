package dev.creditspolicy.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.api.contract.ProblemResponses;
import dev.creditspolicy.api.contract.UsageBodies.EvaluateBatchBody;
import dev.creditspolicy.api.contract.UsageBodies.UsageBatchBody;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.requests.RequestKind;
import dev.creditspolicy.service.BatchRunner.Outcome;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Scope;
import dev.creditspolicy.service.Views.ExplainedDecision;

/**
 * Batch ingestion (SPEC section 10): many usage bodies in one request, each answered in its slot with the status and
 * body it would have had alone. Each event is parsed and realm-checked as {@code POST /v1/usage} does it; the
 * events that pass are decided together by the service (one transaction for the batch, through the group-commit
 * writers), in the order sent.
 */
@RestController
@Tag(name = "usage")
class BatchController {
    /** One event's answer: {@code status} as alone; the decision (with {@code replayed} for usage) or the problem. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Slot(int index, int status, Boolean replayed, ExplainedDecision decision,
                @Schema(ref = "#/components/schemas/" + ProblemResponses.SCHEMA) ProblemDetail problem) {
    }

    record BatchAnswer(List<Slot> results) {
    }

    private final CreditsServices services;
    private final BatchBodies bodies;
    private final ProblemHandler problems;
    private final CallerCounters counters;

    BatchController(CreditsServices services, BatchBodies bodies, ProblemHandler problems, CallerCounters counters) {
        this.services = services;
        this.bodies = bodies;
        this.problems = problems;
        this.counters = counters;
    }

    @PostMapping(BatchBodies.USAGE)
    @Operation(operationId = "recordUsageBatch", summary = "Records 1 to 1,000 usage events; each slot answers "
            + "as POST /v1/usage would alone", requestBody = @RequestBody(required = true, content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = UsageBatchBody.class))))
    BatchAnswer record(HttpServletRequest request) throws HttpMediaTypeNotSupportedException {
        return run(request, Kinds.USAGE, services.usage()::recordBatch, true);
    }

    /** The decisions the events would get now, each as {@code POST /v1/evaluate} alone; nothing is stored. */
    @PostMapping(BatchBodies.EVALUATE)
    @Operation(operationId = "evaluateUsageBatch", summary = "Evaluates 1 to 1,000 usage events, each as "
            + "POST /v1/evaluate alone; stores nothing", requestBody = @RequestBody(required = true, content =
                    @Content(mediaType = "application/json", schema = @Schema(implementation =
                            EvaluateBatchBody.class))))
    BatchAnswer evaluate(HttpServletRequest request) throws HttpMediaTypeNotSupportedException {
        return run(request, Kinds.EVALUATE, services.usage()::evaluateAll, false);
    }

    private BatchAnswer run(HttpServletRequest request, RequestKind<Usage, ?> kind,
                            Function<List<Usage>, List<Outcome<ExplainedDecision>>> decideAll, boolean stores)
            throws HttpMediaTypeNotSupportedException {
        List<JsonNode> events = bodies.events(request);
        Scope scope = Callers.scope();
        Slot[] slots = new Slot[events.size()];
        List<Usage> admitted = new ArrayList<>(events.size());
        int[] slotOf = new int[events.size()];
        for (int i = 0; i < events.size(); i++) {
            try {
                Usage cmd = kind.parse(null, events.get(i));
                kind.admit(services, scope, cmd);
                slotOf[admitted.size()] = i;
                admitted.add(cmd);
            } catch (RuntimeException refused) {
                slots[i] = refused(i, refused, request);
            }
        }
        List<Outcome<ExplainedDecision>> outcomes = decideAll.apply(admitted);
        for (int j = 0; j < outcomes.size(); j++) {
            Outcome<ExplainedDecision> o = outcomes.get(j);
            int i = slotOf[j];
            if (o.failure() != null) {
                slots[i] = refused(i, o.failure(), request);
            } else {
                slots[i] = new Slot(i, 200, stores ? o.answered().replayed() : null, o.answered().body(), null);
                if (stores) {
                    counters.count(o.answered());
                }
            }
        }
        return new BatchAnswer(Arrays.asList(slots));
    }

    private Slot refused(int index, RuntimeException e, HttpServletRequest request) {
        ResponseEntity<ProblemDetail> answer = problems.answer(e, request);
        return new Slot(index, answer.getStatusCode().value(), null, null, answer.getBody());
    }
}

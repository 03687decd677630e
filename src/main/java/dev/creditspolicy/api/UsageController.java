package dev.creditspolicy.api;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.Views.ExplainedDecision;
import dev.creditspolicy.service.Views.ReversalView;
import dev.creditspolicy.service.Views.UsageRecord;

@RestController
@RequestMapping("/v1")
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
    ExplainedDecision evaluate(@RequestBody JsonNode body, @RequestParam(required = false) String explain) {
        return Kinds.EVALUATE.execute(services, Callers.scope(), Kinds.EVALUATE.parse(null, body),
                explain(explain));
    }

    @PostMapping("/usage")
    ResponseEntity<ExplainedDecision> record(@RequestBody JsonNode body,
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
    UsageRecord find(@PathVariable String requestId) {
        Callers.scope().admitRequest(services, requestId);
        UsageDecision decision = services.usage().find(requestId);
        return new UsageRecord(decision, services.corrections().reversalOf(requestId).orElse(null));
    }

    /** A charge that should not have been made (SPEC section 7): its allocations go back to their lots. */
    @PostMapping("/usage/{requestId}/reversal")
    ResponseEntity<ReversalView> reverse(@PathVariable String requestId, @RequestBody JsonNode body) {
        var cmd = Kinds.REVERSAL.parse(requestId, body);
        return Responses.of(audited.change("reversal", requestId, body,
                Kinds.REVERSAL.execute(services, Callers.scope(), cmd, false)), 200);
    }
}

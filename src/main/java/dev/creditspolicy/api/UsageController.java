package dev.creditspolicy.api;

import io.micrometer.core.instrument.MeterRegistry;
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

@RestController
@RequestMapping("/v1")
class UsageController {
    private final CreditsServices services;
    private final MeterRegistry meters;

    UsageController(CreditsServices services, MeterRegistry meters) {
        this.services = services;
        this.meters = meters;
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
        if (!answer.replayed()) {
            // decisions per realm and caller role (issue 13); by status and reason: credits.decisions
            meters.counter("credits.decisions.by.caller", "realm", services.accounts().realmOf(cmd.accountId())
                    .map(Enum::name).orElse("unknown"), "role", Callers.roles(), "status",
                    answer.body().decision().status().name()).increment();
        }
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

    @GetMapping("/usage/{requestId}")
    UsageDecision find(@PathVariable String requestId) {
        Callers.scope().admitRequest(services, requestId);
        return services.usage().find(requestId);
    }
}

package dev.creditspolicy.api;

import static dev.creditspolicy.service.ProblemType.NOT_FOUND;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.creditspolicy.api.contract.Answers;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.UsageRecord;

@RestController
@RequestMapping("/v1")
@Tag(name = "usage", description = "Evaluating, recording and reversing model calls")
class UsageController {
    private final CreditsServices services;

    UsageController(CreditsServices services) {
        this.services = services;
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
}

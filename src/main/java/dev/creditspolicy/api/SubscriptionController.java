package dev.creditspolicy.api;

import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;

import java.time.Clock;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.creditspolicy.api.contract.Answers;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.SubscriptionReport;
import dev.creditspolicy.service.SubscriptionReport.SubscriptionView;

/**
 * {@code GET /v1/accounts/{id}/subscription?at=}: the plan and current cycle, each type's soonest expiry, the plan
 * changes and the lot expiries they changed (issue 16: what the Usage page needs beside balance, lots, credits log
 * and usage). A viewer token of the account may read it, like those four.
 */
@RestController
@RequestMapping("/v1/accounts")
@Tag(name = "accounts")
class SubscriptionController {
    private final CreditsServices services;
    private final SubscriptionReport report;

    SubscriptionController(CreditsServices services, Clock clock) {
        this.services = services;
        this.report = new SubscriptionReport(services.store(), services.engine(), clock);
    }

    @GetMapping("/{id}/subscription")
    @Operation(operationId = "getSubscription", summary = "The plan and cycle at `at`, soonest expiries, plan changes")
    @Answers(refuses = UNKNOWN_ACCOUNT)
    SubscriptionView subscription(@PathVariable String id, @RequestParam(required = false) String at) {
        Callers.scope().admitAccount(services.accounts(), id);
        return report.at(id, at == null ? null : Fields.parseInstant("at", at));
    }
}

package dev.creditspolicy.api;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.CreditsServices;

@RestController
@RequestMapping("/v1")
class UsageController {
    private final CreditsServices services;

    UsageController(CreditsServices services) {
        this.services = services;
    }

    /** Dry run: the decision the request would get now; nothing is stored. */
    @PostMapping("/evaluate")
    UsageDecision evaluate(@RequestBody JsonNode body) {
        return Kinds.EVALUATE.execute(services, Kinds.EVALUATE.parse(null, body));
    }

    @PostMapping("/usage")
    ResponseEntity<UsageDecision> record(@RequestBody JsonNode body) {
        return Responses.of(Kinds.USAGE.execute(services, Kinds.USAGE.parse(null, body)), 200);
    }

    @GetMapping("/usage/{requestId}")
    UsageDecision find(@PathVariable String requestId) {
        return services.usage().find(requestId);
    }
}

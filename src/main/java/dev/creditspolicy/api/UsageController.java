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
import dev.creditspolicy.service.Commands;
import dev.creditspolicy.service.UsageService;

@RestController
@RequestMapping("/v1")
class UsageController {
    private final UsageService usage;

    UsageController(UsageService usage) {
        this.usage = usage;
    }

    /** Dry run: the decision the request would get now; nothing is stored. */
    @PostMapping("/evaluate")
    UsageDecision evaluate(@RequestBody JsonNode body) {
        return usage.evaluate(Commands.Usage.parse(body, false));
    }

    @PostMapping("/usage")
    ResponseEntity<UsageDecision> record(@RequestBody JsonNode body) {
        return Responses.of(usage.record(Commands.Usage.parse(body, true)), 200);
    }

    @GetMapping("/usage/{requestId}")
    UsageDecision find(@PathVariable String requestId) {
        return usage.find(requestId);
    }
}

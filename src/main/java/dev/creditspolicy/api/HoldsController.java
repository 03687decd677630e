package dev.creditspolicy.api;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.CommitView;
import dev.creditspolicy.service.Views.HoldView;

/** Holds (SPEC section 6): reserve credits before a model call, commit or release after it. */
@RestController
@RequestMapping("/v1/holds")
class HoldsController {
    private final CreditsServices services;

    HoldsController(CreditsServices services) {
        this.services = services;
    }

    @PostMapping
    ResponseEntity<HoldView> hold(@RequestBody JsonNode body) {
        return Responses.of(Kinds.HOLD.execute(services, Callers.scope(), Kinds.HOLD.parse(null, body), false), 200);
    }

    @PostMapping("/{holdId}/commit")
    ResponseEntity<CommitView> commit(@PathVariable String holdId, @RequestBody JsonNode body) {
        return Responses.of(Kinds.COMMIT.execute(services, Callers.scope(), Kinds.COMMIT.parse(holdId, body), false), 200);
    }

    @PostMapping("/{holdId}/release")
    ResponseEntity<HoldView> release(@PathVariable String holdId, @RequestBody JsonNode body) {
        return Responses.of(Kinds.RELEASE.execute(services, Callers.scope(), Kinds.RELEASE.parse(holdId, body), false), 200);
    }

    @GetMapping("/{holdId}")
    HoldView find(@PathVariable String holdId) {
        return Kinds.HOLD_STATE.execute(services, Callers.scope(), Kinds.HOLD_STATE.parse(holdId, Queries.of()), false);
    }
}

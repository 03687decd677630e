package dev.creditspolicy.api;

import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.api.contract.Answers;
import dev.creditspolicy.api.contract.EventEnvelope;
import dev.creditspolicy.events.EventJson;
import dev.creditspolicy.events.EventLog;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.CreditsServices;

/** The events raised about an account, newest first, as the envelopes webhooks receive (SPEC section 11). */
@RestController
@Tag(name = "accounts")
class AccountEventsController {
    private final CreditsServices services;
    private final EventLog events;

    AccountEventsController(CreditsServices services, EventLog events) {
        this.services = services;
        this.events = events;
    }

    @GetMapping("/v1/accounts/{id}/events")
    @Operation(operationId = "listAccountEvents", summary = "The events raised about the account, newest first",
            responses = @ApiResponse(responseCode = "200", description = "OK", content = @Content(array =
                    @ArraySchema(schema = @Schema(implementation = EventEnvelope.class)))))
    @Answers(refuses = UNKNOWN_ACCOUNT)
    ResponseEntity<List<ObjectNode>> events(@PathVariable String id, @RequestParam(required = false) String limit,
                                            @RequestParam(required = false) String after) {
        Fields.pathId("id", id);
        Callers.scope().admitAccount(services.accounts(), id);
        services.accounts().get(id);
        return Paged.of(events.ofAccount(id, PageRequest.parse(limit, after)).map(EventJson::envelope));
    }
}

package dev.creditspolicy.api;

import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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

import dev.creditspolicy.access.ViewerTokens;
import dev.creditspolicy.api.contract.AccountBodies.ViewerTokenBody;
import dev.creditspolicy.api.contract.Answers;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.AccountView;
import dev.creditspolicy.service.Views.PlanChangeView;
import dev.creditspolicy.service.Views.VoidChangeView;

@RestController
@RequestMapping("/v1/accounts")
@Tag(name = "accounts", description = "Accounts, their credits and what they used")
class AccountsController {
    private final CreditsServices services;
    private final Audited audited;
    private final ViewerTokens viewers;

    AccountsController(CreditsServices services, Audited audited, ViewerTokens viewers) {
        this.services = services;
        this.audited = audited;
        this.viewers = viewers;
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getAccount", summary = "The account, its plan and plan history")
    @Answers(refuses = UNKNOWN_ACCOUNT)
    AccountView get(@PathVariable String id) {
        Callers.scope().admitAccount(services.accounts(), id);
        return services.accounts().get(id);
    }

    /** A token that reads this one account's balance, lots, credits log and usage until it expires. */
    @PostMapping("/{id}/viewer-tokens")
    @Operation(operationId = "createViewerToken", summary = "A token that reads this account until it expires")
    @Answers(status = 201, location = false, refuses = UNKNOWN_ACCOUNT)
    ResponseEntity<ViewerTokens.Minted> viewerToken(@PathVariable String id, @RequestBody
                                                    @Schema(implementation = ViewerTokenBody.class) JsonNode body) {
        long seconds = viewerTokenSeconds(body);
        Callers.scope().admitAccount(services.accounts(), id);
        services.accounts().get(id); // an unknown account is refused as everywhere else
        ViewerTokens.Minted minted = viewers.mint(id, seconds);
        // audited without the token: who let whom read which account, until when
        audited.record("viewerToken", id, body.toString(), Map.of("accountId", id, "expiresAt",
                minted.expiresAt()));
        return ResponseEntity.status(201).body(minted);
    }

    /** {@code {ttlSeconds?}}: how long a viewer token lasts, 900 s when left out. */
    static long viewerTokenSeconds(JsonNode body) {
        String ttl = new Fields(body, Set.of("ttlSeconds")).optionalText("ttlSeconds");
        return ttl == null ? 900 : Fields.intInRange("ttlSeconds", ttl, 1, ViewerTokens.MAX_TTL_SECONDS);
    }

    /** Plan changes and voids, each with the expiry changes it made, newest first. */
    @GetMapping("/{id}/plan-changes")
    @Operation(operationId = "listPlanChanges", summary = "Plan changes and voids, newest first", responses =
            @ApiResponse(responseCode = "200", description = "OK", content = @Content(array = @ArraySchema(
                    schema = @Schema(type = "object", oneOf = {PlanChangeView.class, VoidChangeView.class})))))
    @Answers(refuses = UNKNOWN_ACCOUNT)
    ResponseEntity<List<Record>> planChanges(@PathVariable String id, @RequestParam(required = false) String limit,
                                             @RequestParam(required = false) String after) {
        PageRequest page = PageRequest.of(new Fields(Queries.of("limit", limit, "after", after),
                Set.of("limit", "after")));
        Callers.scope().admitAccount(services.accounts(), id);
        return Paged.of(services.accounts().expiryChangeListing(id, page));
    }
}

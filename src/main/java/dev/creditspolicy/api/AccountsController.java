package dev.creditspolicy.api;

import static dev.creditspolicy.service.ProblemType.ACCOUNT_EXISTS;
import static dev.creditspolicy.service.ProblemType.ADDON_NOT_ALLOWED;
import static dev.creditspolicy.service.ProblemType.CREDITS_LIMIT_EXCEEDED;
import static dev.creditspolicy.service.ProblemType.IDEMPOTENCY_CONFLICT;
import static dev.creditspolicy.service.ProblemType.RULES_TIMEOUT;
import static dev.creditspolicy.service.ProblemType.TOO_MANY_LOTS;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_LOT;

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
import dev.creditspolicy.api.contract.AccountBodies.AccountBody;
import dev.creditspolicy.api.contract.AccountBodies.CycleBody;
import dev.creditspolicy.api.contract.AccountBodies.GrantBody;
import dev.creditspolicy.api.contract.AccountBodies.PlanChangeBody;
import dev.creditspolicy.api.contract.AccountBodies.ViewerTokenBody;
import dev.creditspolicy.api.contract.AccountBodies.VoidBody;
import dev.creditspolicy.api.contract.Answers;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.AccountView;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.BalanceView;
import dev.creditspolicy.service.Views.CreditsLogEntry;
import dev.creditspolicy.service.Views.LotView;
import dev.creditspolicy.service.Views.PlanChangeView;
import dev.creditspolicy.service.Views.VoidChangeView;
import dev.creditspolicy.service.Views.VoidView;

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

    @PostMapping
    @Operation(operationId = "createAccount", summary = "Creates an account on its plan")
    @Answers(status = 201, refuses = ACCOUNT_EXISTS)
    ResponseEntity<AccountView> create(@RequestBody @Schema(implementation = AccountBody.class) JsonNode body) {
        var cmd = Kinds.ACCOUNT.parse(null, body);
        return Responses.created(audited.change("account", cmd.accountId(), body,
                Kinds.ACCOUNT.execute(services, Callers.scope(), cmd, false)), "/v1/accounts/{id}", cmd.accountId());
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getAccount", summary = "The account, its plan and plan history")
    @Answers(refuses = UNKNOWN_ACCOUNT)
    AccountView get(@PathVariable String id) {
        Callers.scope().admitAccount(services.accounts(), id);
        return services.accounts().get(id);
    }

    @PostMapping("/{id}/cycles")
    @Operation(operationId = "startCycle", summary = "Starts a subscription cycle: grants the plan's lot")
    @Answers(status = 201, refuses = {UNKNOWN_ACCOUNT, IDEMPOTENCY_CONFLICT, CREDITS_LIMIT_EXCEEDED, TOO_MANY_LOTS})
    ResponseEntity<LotView> cycle(@PathVariable String id,
                                  @RequestBody @Schema(implementation = CycleBody.class) JsonNode body) {
        return lot(id, audited.change("cycle", id, body,
                Kinds.CYCLE.execute(services, Callers.scope(), Kinds.CYCLE.parse(id, body), false)));
    }

    @PostMapping("/{id}/lots")
    @Operation(operationId = "grantCredits", summary = "Grants add-on credits: a purchase or a promotion")
    @Answers(status = 201, refuses = {UNKNOWN_ACCOUNT, IDEMPOTENCY_CONFLICT, ADDON_NOT_ALLOWED,
            CREDITS_LIMIT_EXCEEDED, TOO_MANY_LOTS, RULES_TIMEOUT})
    ResponseEntity<LotView> grant(@PathVariable String id,
                                  @RequestBody @Schema(implementation = GrantBody.class) JsonNode body) {
        return lot(id, audited.change("grant", id, body,
                Kinds.GRANT.execute(services, Callers.scope(), Kinds.GRANT.parse(id, body), false)));
    }

    /** A lot granted: its address is where a void names it. */
    private static ResponseEntity<LotView> lot(String accountId, Answer<LotView> answer) {
        return Responses.created(answer, "/v1/accounts/{id}/lots/{lotId}", accountId, answer.body().lotId());
    }

    @PostMapping("/{id}/plan-changes")
    @Operation(operationId = "changePlan", summary = "An upgrade or a downgrade, with the expiry changes it made")
    @Answers(status = 201, refuses = {UNKNOWN_ACCOUNT, RULES_TIMEOUT})
    ResponseEntity<PlanChangeView> changePlan(@PathVariable String id,
                                              @RequestBody @Schema(implementation = PlanChangeBody.class)
                                              JsonNode body) {
        return Responses.created(audited.change("planChange", id, body, Kinds.PLAN_CHANGE.execute(services,
                Callers.scope(), Kinds.PLAN_CHANGE.parse(id, body), false)), "/v1/accounts/{id}/plan-changes", id);
    }

    /** A refunded or mistaken grant (SPEC section 7): from {@code at} on nothing can draw on the lot. */
    @PostMapping("/{id}/lots/{lotId}/void")
    @Operation(operationId = "voidLot", summary = "Voids a lot: from `at` on nothing can draw on it")
    @Answers(refuses = {UNKNOWN_ACCOUNT, UNKNOWN_LOT, RULES_TIMEOUT})
    ResponseEntity<VoidView> voidLot(@PathVariable String id, @PathVariable String lotId,
                                     @RequestBody @Schema(implementation = VoidBody.class) JsonNode body) {
        var cmd = Kinds.parseVoid(id, lotId, body);
        return Responses.of(audited.change("void", id + "/" + lotId, body,
                Kinds.VOID.execute(services, Callers.scope(), cmd, false)), 200);
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

    @GetMapping("/{id}/balance")
    @Operation(operationId = "getBalance", summary = "What is available at `at` (and held), by type")
    @Answers(refuses = UNKNOWN_ACCOUNT)
    BalanceView balance(@PathVariable String id, @RequestParam(required = false) String at,
                        @RequestParam(required = false) String product) {
        return Kinds.BALANCE.execute(services, Callers.scope(),
                Kinds.BALANCE.parse(id, Queries.of("at", at, "product", product)), false);
    }

    @GetMapping("/{id}/lots")
    @Operation(operationId = "listLots", summary = "Every lot with remaining, actual and initial expiry")
    @Answers(refuses = UNKNOWN_ACCOUNT)
    ResponseEntity<List<LotView>> lots(@PathVariable String id, @RequestParam(required = false) String at,
                                       @RequestParam(required = false) String limit,
                                       @RequestParam(required = false) String after) {
        return Paged.of(Kinds.LOTS.execute(services, Callers.scope(),
                Kinds.LOTS.parse(id, Queries.of("at", at, "limit", limit, "after", after)), false));
    }

    @GetMapping("/{id}/credits-log")
    @Operation(operationId = "getCreditsLog", summary = "Acquisitions, newest effective date first")
    @Answers(refuses = UNKNOWN_ACCOUNT)
    ResponseEntity<List<CreditsLogEntry>> creditsLog(@PathVariable String id,
                                                     @RequestParam(required = false) String limit,
                                                     @RequestParam(required = false) String after) {
        return Paged.of(Kinds.CREDITS_LOG.execute(services, Callers.scope(),
                Kinds.CREDITS_LOG.parse(id, Queries.of("limit", limit, "after", after)), false));
    }
}

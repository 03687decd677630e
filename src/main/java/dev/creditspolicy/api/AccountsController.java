package dev.creditspolicy.api;

import java.time.ZoneId;
import java.time.DateTimeException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.Views.AccountView;
import dev.creditspolicy.service.Views.BalanceView;
import dev.creditspolicy.service.Views.CreditsLogEntry;
import dev.creditspolicy.service.Views.LotView;
import dev.creditspolicy.service.Views.PlanChangeView;
import dev.creditspolicy.service.Views.VoidView;
import dev.creditspolicy.service.Views.DecisionEntry;
import dev.creditspolicy.service.Views.UsageSummary;
import dev.creditspolicy.store.UsageDao.DecisionFilter;

@RestController
@RequestMapping("/v1/accounts")
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
    ResponseEntity<AccountView> create(@RequestBody JsonNode body) {
        var cmd = Kinds.ACCOUNT.parse(null, body);
        return Responses.of(audited.change("account", cmd.accountId(), body,
                Kinds.ACCOUNT.execute(services, Callers.scope(), cmd, false)), 201);
    }

    @GetMapping("/{id}")
    AccountView get(@PathVariable String id) {
        Callers.scope().admitAccount(services.accounts(), id);
        return services.accounts().get(id);
    }

    @PostMapping("/{id}/cycles")
    ResponseEntity<LotView> cycle(@PathVariable String id, @RequestBody JsonNode body) {
        return Responses.of(audited.change("cycle", id, body,
                Kinds.CYCLE.execute(services, Callers.scope(), Kinds.CYCLE.parse(id, body), false)), 201);
    }

    @PostMapping("/{id}/lots")
    ResponseEntity<LotView> grant(@PathVariable String id, @RequestBody JsonNode body) {
        return Responses.of(audited.change("grant", id, body,
                Kinds.GRANT.execute(services, Callers.scope(), Kinds.GRANT.parse(id, body), false)), 201);
    }

    @PostMapping("/{id}/plan-changes")
    ResponseEntity<PlanChangeView> changePlan(@PathVariable String id, @RequestBody JsonNode body) {
        return Responses.of(audited.change("planChange", id, body, Kinds.PLAN_CHANGE.execute(services,
                Callers.scope(), Kinds.PLAN_CHANGE.parse(id, body), false)), 201);
    }

    /** A refunded or mistaken grant (SPEC section 7): from {@code at} on nothing can draw on the lot. */
    @PostMapping("/{id}/lots/{lotId}/void")
    ResponseEntity<VoidView> voidLot(@PathVariable String id, @PathVariable String lotId,
                                     @RequestBody JsonNode body) {
        var cmd = Kinds.parseVoid(id, lotId, body);
        return Responses.of(audited.change("void", id + "/" + lotId, body,
                Kinds.VOID.execute(services, Callers.scope(), cmd, false)), 200);
    }

    /** A token that reads this one account's balance, lots, credits log and usage until it expires. */
    @PostMapping("/{id}/viewer-tokens")
    ResponseEntity<ViewerTokens.Minted> viewerToken(@PathVariable String id, @RequestBody JsonNode body) {
        Fields f = new Fields(body, java.util.Set.of("ttlSeconds"));
        String ttl = f.optionalText("ttlSeconds");
        long seconds = ttl == null ? 900 : Fields.intInRange("ttlSeconds", ttl, 1, ViewerTokens.MAX_TTL_SECONDS);
        Callers.scope().admitAccount(services.accounts(), id);
        services.accounts().get(id); // an unknown account is refused as everywhere else
        ViewerTokens.Minted minted = viewers.mint(id, seconds);
        // audited without the token: who let whom read which account, until when
        audited.record("viewerToken", id, body.toString(), Map.of("accountId", id, "expiresAt",
                minted.expiresAt()));
        return ResponseEntity.status(201).body(minted);
    }

    /** Plan changes and voids, each with the expiry changes it made, newest first. */
    @GetMapping("/{id}/plan-changes")
    ResponseEntity<List<Record>> planChanges(@PathVariable String id, @RequestParam(required = false) String limit,
                                             @RequestParam(required = false) String after) {
        PageRequest page = PageRequest.of(new Fields(Queries.of("limit", limit, "after", after),
                Set.of("limit", "after")));
        Callers.scope().admitAccount(services.accounts(), id);
        return Paged.of(services.accounts().expiryChangeListing(id, page));
    }

    @GetMapping("/{id}/balance")
    BalanceView balance(@PathVariable String id, @RequestParam(required = false) String at,
                        @RequestParam(required = false) String product) {
        return Kinds.BALANCE.execute(services, Callers.scope(),
                Kinds.BALANCE.parse(id, Queries.of("at", at, "product", product)), false);
    }

    @GetMapping("/{id}/lots")
    ResponseEntity<List<LotView>> lots(@PathVariable String id, @RequestParam(required = false) String at,
                                       @RequestParam(required = false) String limit,
                                       @RequestParam(required = false) String after) {
        return Paged.of(Kinds.LOTS.execute(services, Callers.scope(),
                Kinds.LOTS.parse(id, Queries.of("at", at, "limit", limit, "after", after)), false));
    }

    @GetMapping("/{id}/credits-log")
    ResponseEntity<List<CreditsLogEntry>> creditsLog(@PathVariable String id,
                                                     @RequestParam(required = false) String limit,
                                                     @RequestParam(required = false) String after) {
        return Paged.of(Kinds.CREDITS_LOG.execute(services, Callers.scope(),
                Kinds.CREDITS_LOG.parse(id, Queries.of("limit", limit, "after", after)), false));
    }

    /**
     * The per-call ledger: every decision of the account (usage and hold commits), newest occurredAt first, each
     * as {@code GET /v1/usage/{requestId}} answers it; occurredAt in [from, to), one product, one status.
     */
    @GetMapping("/{id}/usage-decisions")
    ResponseEntity<List<DecisionEntry>> usageDecisions(@PathVariable String id,
                                                     @RequestParam(required = false) String from,
                                                     @RequestParam(required = false) String to,
                                                     @RequestParam(required = false) String product,
                                                     @RequestParam(required = false) String status,
                                                     @RequestParam(required = false) String limit,
                                                     @RequestParam(required = false) String after) {
        Fields f = new Fields(Queries.of("from", from, "to", to, "product", product, "status", status, "limit",
                limit, "after", after), Set.of("from", "to", "product", "status", "limit", "after"));
        var filter = new DecisionFilter(f.optionalInstant("from"), f.optionalInstant("to"),
                f.optionalEnum("product", Product.class), f.optionalEnum("status", Status.class));
        PageRequest page = PageRequest.of(f);
        Callers.scope().admitAccount(services.accounts(), id);
        return Paged.of(services.reports().decisions(id, filter, page));
    }

    @GetMapping("/{id}/usage")
    UsageSummary usage(@PathVariable String id, @RequestParam(required = false) String from,
                       @RequestParam(required = false) String to, @RequestParam(required = false) String groupBy,
                       @RequestParam(required = false, defaultValue = "Z") String zone,
                       @RequestParam(required = false) String products) {
        ZoneId z;
        try {
            z = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw Problem.invalid("zone", "unknown zone '" + Fields.shown(zone)
                    + "'; use an offset like +08:00 or a region id");
        }
        if (groupBy != null && groupBy.length() > 16) { // the service echoes it: keep the echo short
            throw Problem.invalid("groupBy", "unknown groupBy '" + Fields.shown(groupBy)
                    + "'; allowed: product, feature, model, day");
        }
        Callers.scope().admitAccount(services.accounts(), id);
        return services.reports().usage(id, from == null ? null : Fields.parseInstant("from", from),
                to == null ? null : Fields.parseInstant("to", to), groupBy, z, products(products));
    }

    /** {@code products=QODERWORK,CLI}: only those products' calls (the Usage page's list); absent: every product. */
    static Set<Product> products(String list) {
        if (list == null) {
            return null;
        }
        Set<Product> chosen = EnumSet.noneOf(Product.class);
        for (String name : list.split(",", -1)) {
            try {
                chosen.add(Product.valueOf(name.strip()));
            } catch (IllegalArgumentException e) {
                throw new Problem(Problem.VALIDATION_FAILED, "Invalid request field", "unknown product '"
                        + Fields.shown(name) + "' in products; allowed: " + Fields.allowed(Product.class),
                        "products", Map.of("allowed", Arrays.stream(Product.values()).map(Enum::name).toList()));
            }
        }
        return chosen;
    }
}

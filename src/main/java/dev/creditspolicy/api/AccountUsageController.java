package dev.creditspolicy.api;

import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.creditspolicy.api.contract.Answers;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.ProblemType;
import dev.creditspolicy.service.Views.DecisionEntry;
import dev.creditspolicy.service.Views.UsageSummary;
import dev.creditspolicy.store.UsageDao.DecisionFilter;

/** What an account used: its decisions one by one, and summed up by product, feature, model or day. */
@RestController
@RequestMapping("/v1/accounts")
@Tag(name = "accounts")
class AccountUsageController {
    private final CreditsServices services;

    AccountUsageController(CreditsServices services) {
        this.services = services;
    }

    /**
     * The per-call ledger: every decision of the account (usage and hold commits), newest occurredAt first, each
     * as {@code GET /v1/usage/{requestId}} answers it; occurredAt in [from, to), one product, one status.
     */
    @GetMapping("/{id}/usage-decisions")
    @Operation(operationId = "listUsageDecisions", summary = "Every decision of the account, newest first")
    @Answers(refuses = UNKNOWN_ACCOUNT)
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
    @Operation(operationId = "getUsageSummary", summary = "Decisions in [from, to) grouped, and open holds")
    @Answers(refuses = UNKNOWN_ACCOUNT)
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
                throw new Problem(ProblemType.VALIDATION_FAILED, "unknown product '"
                        + Fields.shown(name) + "' in products; allowed: " + Fields.allowed(Product.class),
                        "products", Map.of("allowed", Arrays.stream(Product.values()).map(Enum::name).toList()));
            }
        }
        return chosen;
    }
}

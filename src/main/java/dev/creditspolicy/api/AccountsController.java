package dev.creditspolicy.api;

import java.time.ZoneId;
import java.time.DateTimeException;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.service.AccountService;
import dev.creditspolicy.service.Commands;
import dev.creditspolicy.service.Fields;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.ReportService;
import dev.creditspolicy.service.Views.AccountView;
import dev.creditspolicy.service.Views.BalanceView;
import dev.creditspolicy.service.Views.CreditsLogEntry;
import dev.creditspolicy.service.Views.LotView;
import dev.creditspolicy.service.Views.PlanChangeView;
import dev.creditspolicy.service.Views.UsageSummary;

@RestController
@RequestMapping("/v1/accounts")
class AccountsController {
    private final AccountService accounts;
    private final ReportService reports;

    AccountsController(AccountService accounts, ReportService reports) {
        this.accounts = accounts;
        this.reports = reports;
    }

    @PostMapping
    ResponseEntity<AccountView> create(@RequestBody JsonNode body) {
        return Responses.of(accounts.create(Commands.CreateAccount.parse(body)), 201);
    }

    @GetMapping("/{id}")
    AccountView get(@PathVariable String id) {
        return accounts.get(id);
    }

    @PostMapping("/{id}/cycles")
    ResponseEntity<LotView> cycle(@PathVariable String id, @RequestBody JsonNode body) {
        return Responses.of(accounts.startCycle(Commands.StartCycle.parse(id, body)), 201);
    }

    @PostMapping("/{id}/lots")
    ResponseEntity<LotView> grant(@PathVariable String id, @RequestBody JsonNode body) {
        return Responses.of(accounts.grantAddon(Commands.GrantAddon.parse(id, body)), 201);
    }

    @PostMapping("/{id}/plan-changes")
    ResponseEntity<PlanChangeView> changePlan(@PathVariable String id, @RequestBody JsonNode body) {
        return Responses.of(accounts.changePlan(Commands.ChangePlan.parse(id, body)), 201);
    }

    @GetMapping("/{id}/plan-changes")
    List<PlanChangeView> planChanges(@PathVariable String id) {
        return accounts.planChanges(id);
    }

    @GetMapping("/{id}/balance")
    BalanceView balance(@PathVariable String id, @RequestParam(required = false) String at,
                        @RequestParam(required = false) String product) {
        return reports.balance(id, at == null ? null : Fields.parseInstant("at", at), parseProduct(product));
    }

    @GetMapping("/{id}/lots")
    List<LotView> lots(@PathVariable String id, @RequestParam(required = false) String at) {
        return reports.lots(id, at == null ? null : Fields.parseInstant("at", at));
    }

    @GetMapping("/{id}/credits-log")
    List<CreditsLogEntry> creditsLog(@PathVariable String id) {
        return reports.creditsLog(id);
    }

    @GetMapping("/{id}/usage")
    UsageSummary usage(@PathVariable String id, @RequestParam(required = false) String from,
                       @RequestParam(required = false) String to, @RequestParam(required = false) String groupBy,
                       @RequestParam(required = false, defaultValue = "Z") String zone) {
        ZoneId z;
        try {
            z = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw Problem.invalid("zone", "unknown zone '" + zone + "'; use an offset like +08:00 or a region id");
        }
        return reports.usage(id, from == null ? null : Fields.parseInstant("from", from),
                to == null ? null : Fields.parseInstant("to", to), groupBy, z);
    }

    private static Product parseProduct(String product) {
        if (product == null) {
            return null;
        }
        for (Product p : Product.values()) {
            if (p.name().equals(product)) {
                return p;
            }
        }
        throw Problem.invalid("product", "unknown product '" + product + "'; allowed: "
                + Fields.allowed(Product.class));
    }
}

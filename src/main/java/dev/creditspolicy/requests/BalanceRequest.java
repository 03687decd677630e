package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;

import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.service.Commands.Balance;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.BalanceView;

/** {@code GET /v1/accounts/{id}/balance?at=&product=}, step {@code balance}: the Credits card at an instant. */
final class BalanceRequest extends RequestKind<Balance, BalanceView> {
    BalanceRequest() {
        super("balance", AccountField.PATH, Set.of("total", "held", "PLAN", "ADDON", "at", "product"), null, List.of());
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.viewable("/v1/accounts/{id}/balance", "getBalance",
                "What is available at `at` (and held), by type", "at", "product").refuses(UNKNOWN_ACCOUNT);
    }

    @Override
    public Balance parse(String accountId, JsonNode query) {
        Fields f = new Fields(query, Set.of("at", "product"));
        return new Balance(accountId, f.optionalInstant("at"), f.optionalEnum("product", Product.class));
    }


    @Override
    public String accountOf(Balance cmd) {
        return cmd.accountId();
    }

    @Override
    public BalanceView execute(CreditsServices s, Balance cmd) {
        return s.reports().balance(cmd.accountId(), cmd.at(), cmd.product());
    }

    /** The per-type amounts also as top-level keys, so a step can expect {PLAN: 30, ADDON: 50}. */
    @Override
    public JsonNode comparable(BalanceView result) {
        ObjectNode answer = (ObjectNode) super.comparable(result);
        answer.set("PLAN", answer.get("byType").get("PLAN"));
        answer.set("ADDON", answer.get("byType").get("ADDON"));
        return answer;
    }
}

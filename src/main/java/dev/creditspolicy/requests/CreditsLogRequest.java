package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;

import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.paging.Page;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.service.Commands.CreditsLog;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.CreditsLogEntry;

/** {@code GET /v1/accounts/{id}/credits-log}, step {@code creditsLog}: acquisitions, newest first. */
final class CreditsLogRequest extends RequestKind<CreditsLog, Page<CreditsLogEntry>> {
    CreditsLogRequest() {
        super("creditsLog", AccountField.PATH, Set.of("count", "entries"), null, List.of());
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.viewable("/v1/accounts/{id}/credits-log", "getCreditsLog",
                "Acquisitions, newest effective date first", "limit", "after").refuses(UNKNOWN_ACCOUNT);
    }

    @Override
    public CreditsLog parse(String accountId, JsonNode query) {
        return new CreditsLog(accountId, PageRequest.of(new Fields(query, Set.of("limit", "after"))));
    }


    @Override
    public String accountOf(CreditsLog cmd) {
        return cmd.accountId();
    }

    @Override
    public Page<CreditsLogEntry> execute(CreditsServices s, CreditsLog cmd) {
        return s.reports().creditsLog(cmd.accountId(), cmd.page());
    }

    @Override
    public JsonNode comparable(Page<CreditsLogEntry> result) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("count", result.items().size());
        answer.set("entries", JSON.valueToTree(result.items()));
        return answer;
    }
}

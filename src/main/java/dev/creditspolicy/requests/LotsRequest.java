package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.paging.Page;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.service.Commands.Lots;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.LotView;

/** {@code GET /v1/accounts/{id}/lots?at=}, step {@code lots}: every lot with its remaining and actual expiry. */
final class LotsRequest extends RequestKind<Lots, Page<LotView>> {
    LotsRequest() {
        super("lots", AccountField.PATH, Set.of("count"), null, List.of());
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.viewable("/v1/accounts/{id}/lots", "listLots",
                "Every lot with remaining, actual and initial expiry", "at", "limit", "after").refuses(UNKNOWN_ACCOUNT);
    }

    @Override
    public Lots parse(String accountId, JsonNode query) {
        Fields f = new Fields(query, Set.of("at", "limit", "after"));
        return new Lots(accountId, f.optionalInstant("at"), PageRequest.of(f));
    }


    @Override
    public String accountOf(Lots cmd) {
        return cmd.accountId();
    }

    @Override
    public Page<LotView> execute(CreditsServices s, Lots cmd) {
        return s.reports().lots(cmd.accountId(), cmd.at(), cmd.page());
    }

    /** {count, <lotId>: {lot fields}}: a step expects a lot by its id. */
    @Override
    public JsonNode comparable(Page<LotView> result) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("count", result.items().size());
        JSON.valueToTree(result.items()).forEach(l -> answer.set(l.get("lotId").asString(), l));
        return answer;
    }

    /** Besides count, any key is a lot id whose value names lot fields. */
    @Override
    public String refuseExpectKey(String key, JsonNode value) {
        if (key.equals("error") || key.equals("count")) {
            return null;
        }
        if (!value.isObject()) {
            return "unknown expect key '" + key + "' for a lots step; allowed: error, count, <lotId>: {"
                    + String.join(", ", new TreeSet<>(LotFields.NAMES)) + "}";
        }
        for (String field : value.propertyNames()) {
            if (!LotFields.NAMES.contains(field)) {
                return "unknown lot field '" + field + "' in expect." + key + "; allowed: "
                        + String.join(", ", new TreeSet<>(LotFields.NAMES));
            }
        }
        return null;
    }
}

package dev.creditspolicy.requests;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.service.Commands.VoidLot;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.VoidView;
import dev.creditspolicy.store.Rows.EventKind;

/**
 * {@code POST /v1/accounts/{id}/lots/{lotId}/void}, step {@code void: {account, lotId, at, reason}}: a refunded or
 * mistaken grant; from {@code at} on nothing can draw on the lot.
 */
final class VoidRequest extends RequestKind<VoidLot, Answer<VoidView>> {
    private static final Set<String> EXPECT = voidExpectKeys();

    VoidRequest() {
        super("void", AccountField.PATH, EXPECT, EventKind.VOID, List.of("voided", "changed"));
    }

    private static Set<String> voidExpectKeys() {
        Set<String> keys = new HashSet<>(LotFields.NAMES);
        keys.addAll(Set.of("changed", "heldReleased", "rulesVersion", "firedRules"));
        return keys;
    }

    /** A scenario step names the lot in its body. */
    @Override
    public VoidLot parse(String accountId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw Problem.invalid(null, "the body must be a JSON object");
        }
        ObjectNode rest = ((ObjectNode) body).deepCopy();
        JsonNode lotId = rest.remove("lotId");
        if (lotId == null || lotId.isNull() || !lotId.isString() || lotId.asString().isBlank()) {
            throw Problem.invalid("lotId", "'lotId' is required");
        }
        return parse(accountId, lotId.asString(), rest);
    }

    /** The HTTP call: account and lot from the path, {@code {at, reason}} in the body. */
    VoidLot parse(String accountId, String lotId, JsonNode body) {
        Fields f = new Fields(body, Set.of("at", "reason"));
        Fields.pathId("lotId", lotId);
        return new VoidLot(accountId, lotId, f.instant("at"), f.text("reason"));
    }

    @Override
    public String accountOf(VoidLot cmd) {
        return cmd.accountId();
    }

    @Override
    public Answer<VoidView> execute(CreditsServices s, VoidLot cmd) {
        return s.corrections().voidLot(cmd);
    }

    @Override
    public Instant clockAt(VoidLot cmd) {
        return cmd.at();
    }

    @Override
    public Stored<VoidLot, Answer<VoidView>> stored(CreditsServices s, String accountId, String ref) {
        long id = Long.parseLong(ref);
        return new Stored<>(s.corrections().voidRequest(id), new Answer<>(s.corrections().storedVoid(id), false));
    }
}

package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.RULES_TIMEOUT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_LOT;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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

    @Override
    public Endpoint endpoint() {
        return Endpoint.post("/v1/accounts/{id}/lots/{lotId}/void", Endpoint.OPERATORS, VoidBody.class, "voidLot",
                        "accounts", "Voids a lot: from `at` on nothing can draw on it")
                .audited("void", "{accountId}/{lotId}").refuses(UNKNOWN_ACCOUNT, UNKNOWN_LOT, RULES_TIMEOUT);
    }

    @Schema(description = "Voids a lot: from `at` on nothing can draw on it.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    record VoidBody(
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime at,
            @NotNull @Size(min = 1, max = Bounds.REASON_MAX) String reason) {
    }

    /** The HTTP call: account and lot from the path, {@code {at, reason}} in the body. */
    @Override
    public VoidLot fromHttp(Map<String, String> path, JsonNode body) {
        return parse(path.get("id"), path.get("lotId"), body);
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

    private static VoidLot parse(String accountId, String lotId, JsonNode body) {
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

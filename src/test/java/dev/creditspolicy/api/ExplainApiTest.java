package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

@DisplayName("HTTP: ?explain=true lists every lot of the account and why it was or was not drawn")
class ExplainApiTest extends ApiTestSupport {

    /** lotId -> "explanation [rule]" of an explained answer. */
    private static Map<String, String> explained(Reply r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode lot : r.get("explanation")) {
            out.put(lot.get("lotId").asString(), lot.get("explanation").asString() + " ["
                    + (lot.get("rule").isNull() ? "-" : lot.get("rule").asString()) + "]");
        }
        return out;
    }

    @Test
    @DisplayName("evaluate: drawn, not needed, expired, not yet effective, each with its rule; the default answer has "
            + "no explanation")
    void evaluateExplains() {
        String id = personalAccountWithPlanCredits("explain");
        grant(id, id + "-pack", "PURCHASE", "50", "2026-07-20T00:00:00+08:00").expect(201);
        post("/v1/accounts/" + id + "/lots", json("{'lotId': '" + id + "-old', 'source': 'PROMOTION', 'amount': 5, "
                + "'effectiveAt': '2026-06-01T00:00:00+08:00', 'expiresAt': '2026-06-30T00:00:00+08:00', "
                + "'reason': 'june promo'}")).expect(201);
        post("/v1/accounts/" + id + "/lots", json("{'lotId': '" + id + "-sep', 'source': 'PROMOTION', 'amount': 5, "
                + "'effectiveAt': '2026-09-01T00:00:00+08:00', 'expiresAt': '2026-09-30T00:00:00+08:00', "
                + "'reason': 'september promo'}")).expect(201);
        String call = usageBody(null, id, "IDE", "12.5", "2026-07-03T10:00:00+08:00")
                .replace("\"requestId\": \"null\", ", "");

        Reply plain = post("/v1/evaluate", call).expect(200);
        Reply r = post("/v1/evaluate?explain=true", call).expect(200);

        assertNull(plain.json().get("explanation"), "the default answer stays as it is");
        assertEquals(plain.json().get("allocations"), r.get("allocations"), "explaining changes no decision");
        assertEquals(plain.json().get("firedRules"), r.get("firedRules"));
        Map<String, String> lots = explained(r);
        assertEquals("drawn 12.5 [A lot without an origin product serves the products its tier shares with]",
                lots.get(id + "-pack"));
        assertEquals("not needed [A lot without an origin product serves the products its tier shares with]",
                lots.get(id + "-plan"));
        assertEquals("expired [An expired lot is not drawn on]", lots.get(id + "-old"));
        assertEquals("not yet effective [A lot not yet effective is not drawn on]", lots.get(id + "-sep"));
        assertEquals(4, lots.size());
    }

    @Test
    @DisplayName("a product the enterprise tier does not share with: every lot says so; usage with explain records "
            + "the decision once and a retry answers it without explanation")
    void usageExplainsNotShared() {
        String id = newId("explain-ent");
        createAccount(id, "QODER", "ENTERPRISE_TEAMS").expect(201);
        cycle(id, id + "-jul", "ENTERPRISE_TEAMS", "100").expect(201);
        String body = usageBody(newId("r"), id, "JETBRAINS", "10", "2026-07-03T10:00:00+08:00");

        Reply r = post("/v1/usage?explain=true", body).expect(200);
        Reply retry = post("/v1/usage?explain=true", body).expect(200);

        assertEquals("INSUFFICIENT", r.text("status"));
        assertEquals("NOT_SHARED_WITH_PRODUCT", r.text("reason"));
        assertEquals(Map.of(id + "-jul", "not shared with JETBRAINS for ENTERPRISE_TEAMS [A lot without an origin "
                + "product is not drawn on by a product its tier does not share with]"), explained(r));
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertNull(retry.json().get("explanation"), "a stored decision is answered as it was made");
        assertEquals(r.get("shortfall"), retry.get("shortfall"));
        assertFalse(r.json().has("decision"), "the decision's fields are the answer's own, as without explain");
    }

    @Test
    @DisplayName("explain takes true or false only")
    void explainIsABoolean() {
        String id = personalAccountWithPlanCredits("explain-bad");
        assertProblem(post("/v1/evaluate?explain=yes", usageBody("x", id, "CLI", "1", JUL_02)), 400,
                "validation-failed", "explain");
    }
}

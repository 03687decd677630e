package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** Issue 18 over HTTP: calls that send their tokens, priced by pricing.drl and tables/prices.csv. */
@DisplayName("HTTP: usage, evaluate and holds priced from tokens")
class PricingApiTest extends ApiTestSupport {
    private static final String JUL_05 = "2026-07-05T10:00:00+08:00";
    private static final String PRICING_RULE = "A call costs its tokens at its model's rates times its feature's "
            + "multiplier, rounded half-up to 4 decimals, at least 0.01 credits";

    /** A Quest Experts call of qwen3-coder with these token fields (JSON, single-quoted). */
    static String tokensBody(String requestId, String account, String model, String tokens) {
        return json("{'requestId': '" + requestId + "', 'accountId': '" + account + "', 'product': 'CLI', "
                + "'feature': 'QUEST_EXPERTS', 'model': '" + model + "', 'outcome': 'SUCCEEDED', " + tokens
                + ", 'occurredAt': '" + JUL_05 + "'}");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    @Test
    @DisplayName("POST /v1/usage with tokens answers the price breakdown; GET /v1/usage/{id} and a retry answer the "
            + "same bytes")
    void pricedUsageIsStoredWithItsBreakdown() {
        String id = personalAccountWithPlanCredits("ann");
        String rid = newId("t");
        // (2,000 x 0.2 + 8,000 cached x 0.05 + 1,000 x 0.8) / 1,000 x 3 (Experts) = 4.8
        Reply d = post("/v1/usage", tokensBody(rid, id, "qwen3-coder",
                "'inputTokens': 2000, 'cachedInputTokens': 8000, 'outputTokens': 1000")).expect(200);

        assertEquals("CHARGED", d.text("status"));
        assertAmount("4.8", d.get("charged"));
        JsonNode price = d.get("price");
        assertEquals("qwen3-coder", price.get("model").asString());
        assertEquals("QUEST_EXPERTS", price.get("feature").asString());
        assertEquals(2000, price.get("inputTokens").asLong());
        assertEquals(8000, price.get("cachedInputTokens").asLong());
        assertEquals(1000, price.get("outputTokens").asLong());
        assertAmount("0.2", price.get("inputRate"));
        assertAmount("0.05", price.get("cachedInputRate"));
        assertAmount("0.8", price.get("outputRate"));
        assertAmount("3", price.get("multiplier"));
        assertEquals("HALF_UP", price.get("rounding").asString());
        assertAmount("4.8", price.get("rounded"));
        assertAmount("0.01", price.get("minimum"));
        assertFalse(price.get("minimumApplied").asBoolean());
        assertAmount("4.8", price.get("credits"));
        assertEquals(List.of("qwen3-coder rates until 2026-09-01",
                "Quest Experts mode costs three times the model's rates", PRICING_RULE), strings(price.get("rules")));
        assertTrue(strings(d.get("firedRules")).contains(PRICING_RULE), d.response().body());

        Reply stored = get("/v1/usage/" + rid).expect(200);
        assertEquals(d.response().body(), stored.response().body());

        // leaving cachedInputTokens out would be 0; stating the same tokens again is the same request
        Reply retry = post("/v1/usage", tokensBody(rid, id, "qwen3-coder",
                "'outputTokens': 1000, 'cachedInputTokens': 8000, 'inputTokens': 2000")).expect(200);
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(d.response().body(), retry.response().body());
        assertBalance(balance(id, "2026-07-06T00:00:00+08:00"), "95.2", "95.2", "0");

        assertProblem(post("/v1/usage", tokensBody(rid, id, "qwen3-coder",
                "'inputTokens': 2001, 'cachedInputTokens': 8000, 'outputTokens': 1000")), 409,
                "idempotency-conflict", "requestId");
    }

    @Test
    @DisplayName("a call in credits answers no price: its decision is what it was before pricing")
    void callInCreditsHasNoPrice() {
        String id = personalAccountWithPlanCredits("ann");
        Reply d = usage(newId("r"), id, "CLI", "10", JUL_05).expect(200);
        assertFalse(d.json().has("price"), d.response().body());
    }

    @Test
    @DisplayName("POST /v1/evaluate with tokens answers the estimated cost and stores nothing")
    void evaluateEstimates() {
        String id = personalAccountWithPlanCredits("ann");
        String rid = newId("e");
        Reply e = post("/v1/evaluate", tokensBody(rid, id, "qwen3-max", "'inputTokens': 1000, 'outputTokens': 1000"))
                .expect(200);
        // (0.6 + 2.4) x 3 = 9
        assertAmount("9", e.get("charged"));
        assertAmount("9", e.get("price").get("credits"));
        assertAmount("91", e.get("balanceAfter"));
        assertProblem(get("/v1/usage/" + rid), 404, "not-found", "requestId");
        assertBalance(balance(id, "2026-07-06T00:00:00+08:00"), "100", "100", "0");
    }

    @Test
    @DisplayName("credits and tokens together are 400 validation-failed on credits; bad token counts are 400; "
            + "nothing is stored")
    void creditsAndTokensRefused() {
        String id = personalAccountWithPlanCredits("ann");
        String rid = newId("b");
        Reply both = assertProblem(post("/v1/usage", tokensBody(rid, id, "qwen3-coder",
                "'credits': 5, 'inputTokens': 10, 'outputTokens': 10")), 400, "validation-failed", "credits");
        assertTrue(both.text("detail").contains("not both"), both.response().body());
        assertProblem(post("/v1/evaluate", tokensBody(rid, id, "qwen3-coder", "'credits': 5, 'outputTokens': 10")),
                400, "validation-failed", "credits");
        assertProblem(post("/v1/usage", tokensBody(rid, id, "qwen3-coder", "'inputTokens': -1, 'outputTokens': 10")),
                400, "validation-failed", "inputTokens");
        assertProblem(post("/v1/usage", tokensBody(rid, id, "qwen3-coder", "'inputTokens': 1.5, 'outputTokens': 10")),
                400, "validation-failed", "inputTokens");
        assertProblem(post("/v1/usage", tokensBody(rid, id, "qwen3-coder", "'inputTokens': '12', 'outputTokens': 1")),
                400, "validation-failed", "inputTokens");
        assertProblem(post("/v1/usage", tokensBody(rid, id, "qwen3-coder", "'inputTokens': 10")),
                400, "validation-failed", "outputTokens");
        assertProblem(post("/v1/usage", tokensBody(rid, id, "qwen3-coder",
                "'inputTokens': 10, 'outputTokens': 10000000000000")), 400, "validation-failed", "outputTokens");
        assertProblem(get("/v1/usage/" + rid), 404, "not-found", "requestId");
        assertBalance(balance(id, "2026-07-06T00:00:00+08:00"), "100", "100", "0");
    }

    @Test
    @DisplayName("a model without a price is 422 unknown-model naming the priced models; nothing is stored")
    void unknownModelRefused() {
        String id = personalAccountWithPlanCredits("ann");
        String rid = newId("u");
        Reply r = assertProblem(post("/v1/usage", tokensBody(rid, id, "gpt-unknown",
                "'inputTokens': 10, 'outputTokens': 10")), 422, "unknown-model", "model");
        assertEquals(List.of("qwen3-coder", "qwen3-coder-flash", "qwen3-max"), strings(r.get("allowed")));
        assertTrue(r.text("detail").contains("gpt-unknown"), r.response().body());
        assertProblem(get("/v1/usage/" + rid), 404, "not-found", "requestId");
        assertProblem(post("/v1/holds", json("{'holdId': '" + rid + "', 'accountId': '" + id + "', 'product': 'CLI', "
                + "'feature': 'QUEST_AGENT', 'model': 'gpt-unknown', 'inputTokens': 1, 'outputTokens': 1, "
                + "'occurredAt': '" + JUL_05 + "'}")), 422, "unknown-model", "model");
        assertProblem(get("/v1/holds/" + rid), 404, "unknown-hold", "holdId");
        assertBalance(balance(id, "2026-07-06T00:00:00+08:00"), "100", "100", "0");
    }

    @Test
    @DisplayName("a hold from an estimate of tokens, committed with the tokens used: both answer and keep their price")
    void holdFromTokens() {
        String id = personalAccountWithPlanCredits("ann");
        String hid = newId("h");
        // estimate: (10,000 x 0.2 + 5,000 x 0.8) / 1,000 x 2 (Quest agent) = 12
        Reply h = post("/v1/holds", json("{'holdId': '" + hid + "', 'accountId': '" + id + "', 'product': 'CLI', "
                + "'feature': 'QUEST_AGENT', 'model': 'qwen3-coder', 'inputTokens': 10000, 'outputTokens': 5000, "
                + "'occurredAt': '" + JUL_05 + "'}")).expect(200);
        assertEquals("HELD", h.text("status"));
        assertAmount("12", h.get("held"));
        assertAmount("12", h.get("price").get("credits"));
        assertEquals(10000, h.get("price").get("inputTokens").asLong());

        // actual: (8,000 x 0.2 + 3,000 x 0.8) / 1,000 x 2 = 8
        Reply c = post("/v1/holds/" + hid + "/commit", json("{'outcome': 'SUCCEEDED', 'inputTokens': 8000, "
                + "'outputTokens': 3000, 'occurredAt': '2026-07-05T10:10:00+08:00'}")).expect(200);
        assertEquals("CHARGED", c.text("status"));
        assertAmount("8", c.get("charged"));
        assertAmount("4", c.get("released"));
        assertAmount("8", c.get("price").get("credits"));
        assertEquals(8000, c.get("price").get("inputTokens").asLong());

        Reply state = get("/v1/holds/" + hid).expect(200);
        assertEquals("COMMITTED", state.text("state"));
        assertAmount("12", state.get("price").get("credits"));
        assertEquals(c.json().get("price"), state.get("outcome").get("price"));
        assertEquals(c.json().get("price"), get("/v1/usage/" + hid).expect(200).get("price"));
        Reply again = post("/v1/holds/" + hid + "/commit", json("{'outcome': 'SUCCEEDED', 'inputTokens': 8000, "
                + "'outputTokens': 3000, 'cachedInputTokens': 0, 'occurredAt': '2026-07-05T10:10:00+08:00'}"))
                .expect(200);
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(c.response().body(), again.response().body());
        assertBalance(balance(id, "2026-07-06T00:00:00+08:00"), "92", "92", "0");
    }
}

package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

@DisplayName("HTTP: evaluate, usage, stored decisions and usage details")
class UsageApiTest extends ApiTestSupport {
    private static final String JUL_05 = "2026-07-05T10:00:00+08:00";

    @Test
    @DisplayName("POST /v1/usage charges the call and answers the decision with its allocations and balance after")
    void usageCharged() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");

        Reply d = usage(rid, id, "CLI", "70.5", JUL_05).expect(200);

        assertEquals(rid, d.text("requestId"));
        assertEquals("CHARGED", d.text("status"));
        assertEquals("CHARGED", d.text("reason"));
        assertAmount("70.5", d.get("charged"));
        assertAmount("0", d.get("shortfall"));
        assertAmount("29.5", d.get("balanceAfter"));
        JsonNode allocation = d.get("allocations").get(0);
        assertEquals(1, d.get("allocations").size());
        assertEquals(id + "-plan", allocation.get("lotId").asString());
        assertEquals("PLAN", allocation.get("type").asString());
        assertAmount("70.5000", allocation.get("amount"));
        assertEquals(get("/v1/rules").text("version"), d.text("rulesVersion"));
        assertFalse(d.get("firedRules").isEmpty());
        assertEquals("false", d.header("Idempotent-Replayed"));
        assertBalance(balance(id, "2026-07-05T12:00:00+08:00"), "29.5", "29.5", "0");
    }

    @Test
    @DisplayName("GET /v1/usage/{requestId} answers the stored decision as it was answered")
    void storedDecision() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");
        Reply d = usage(rid, id, "CLI", "10", JUL_05).expect(200);

        Reply stored = get("/v1/usage/" + rid).expect(200);

        assertEquals(d.json(), stored.json());
    }

    @Test
    @DisplayName("GET /v1/usage/{requestId} of an unknown request is 404 not-found")
    void unknownDecision() {
        assertProblem(get("/v1/usage/" + newId("nope")), 404, "not-found", "requestId");
    }

    @Test
    @DisplayName("a retry of POST /v1/usage with the same body answers the first decision and charges once")
    void usageRetry() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");
        Reply first = usage(rid, id, "CLI", "10", JUL_05).expect(200);

        Reply retry = usage(rid, id, "CLI", "10.0000", "2026-07-05T02:00:00Z").expect(200);

        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(first.json(), retry.json());
        assertBalance(balance(id, "2026-07-06T00:00:00+08:00"), "90", "90", "0");
    }

    @Test
    @DisplayName("a successful call costing more than the balance is INSUFFICIENT with the shortfall and deducts nothing")
    void usageInsufficient() {
        String id = personalAccountWithPlanCredits("alice");

        Reply d = usage(newId("r"), id, "CLI", "130.25", JUL_05).expect(200);

        assertEquals("INSUFFICIENT", d.text("status"));
        assertEquals("INSUFFICIENT_BALANCE", d.text("reason"));
        assertAmount("30.25", d.get("shortfall"));
        assertAmount("0", d.get("charged"));
        assertEquals(0, d.get("allocations").size());
        assertBalance(balance(id, "2026-07-06T00:00:00+08:00"), "100", "100", "0");
    }

    @Test
    @DisplayName("a failed call is EXEMPT with reason FAILED_CALL")
    void usageFailedCall() {
        String id = personalAccountWithPlanCredits("alice");

        Reply d = post("/v1/usage", json("{'requestId': '" + newId("r") + "', 'accountId': '" + id
                + "', 'product': 'IDE', 'feature': 'EDITOR_ASK', 'model': 'qwen3-coder', 'outcome': 'FAILED', "
                + "'credits': 5, 'occurredAt': '" + JUL_05 + "'}")).expect(200);

        assertEquals("EXEMPT", d.text("status"));
        assertEquals("FAILED_CALL", d.text("reason"));
        assertAmount("0", d.get("charged"));
    }

    @Test
    @DisplayName("POST /v1/evaluate answers the decision a call would get and stores nothing")
    void evaluate() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");

        Reply d = post("/v1/evaluate", usageBody(rid, id, "CLI", "40", JUL_05)).expect(200);

        assertEquals("CHARGED", d.text("status"));
        assertAmount("40", d.get("charged"));
        assertAmount("60", d.get("balanceAfter"));
        assertProblem(get("/v1/usage/" + rid), 404, "not-found", "requestId");
        assertBalance(balance(id, "2026-07-06T00:00:00+08:00"), "100", "100", "0");
        assertEquals(0, get("/v1/accounts/" + id + "/usage").get("groups").size());
    }

    @Test
    @DisplayName("POST /v1/evaluate needs no requestId")
    void evaluateWithoutRequestId() {
        String id = personalAccountWithPlanCredits("alice");

        Reply d = post("/v1/evaluate", json("{'accountId': '" + id + "', 'product': 'MOBILE', "
                + "'feature': 'EDITOR_AGENT', 'model': 'qwen3-coder', 'outcome': 'SUCCEEDED', 'credits': 120, "
                + "'occurredAt': '" + JUL_05 + "'}")).expect(200);

        assertEquals("INSUFFICIENT", d.text("status"));
        assertAmount("20", d.get("shortfall"));
    }

    @Test
    @DisplayName("GET usage groups the account's decisions by product, feature, model or day, within from and to")
    void usageDetails() {
        String id = personalAccountWithPlanCredits("frank");
        usage(newId("r"), id, "IDE", "10", "2026-07-03T23:30:00+08:00").expect(200);
        usage(newId("r"), id, "CLI", "20.5", "2026-07-04T09:00:00+08:00").expect(200);
        usage(newId("r"), id, "CLI", "500", "2026-07-04T10:00:00+08:00").expect(200);
        String path = "/v1/accounts/" + id + "/usage";

        JsonNode byProduct = get(path + "?groupBy=product").expect(200).get("groups");
        JsonNode byFeature = get(path + "?groupBy=feature").get("groups");
        JsonNode byModel = get(path + "?groupBy=model").get("groups");
        JsonNode byDay = get(path + "?groupBy=day&zone=%2B08:00").get("groups");
        JsonNode window = get(path + "?groupBy=product&from=2026-07-04T00:00:00%2B08:00"
                + "&to=2026-07-04T10:00:00%2B08:00").get("groups");

        assertEquals(List.of("CLI", "IDE"), texts(byProduct, "key"));
        assertEquals(2, byProduct.get(0).get("calls").asLong());
        assertEquals(1, byProduct.get(0).get("insufficient").asLong());
        assertAmount("20.5", byProduct.get(0).get("creditsCharged"));
        assertAmount("10", byProduct.get(1).get("creditsCharged"));
        assertEquals(List.of("QUEST_AGENT"), texts(byFeature, "key"));
        assertEquals(List.of("qwen3-coder"), texts(byModel, "key"));
        assertAmount("30.5", byModel.get(0).get("creditsCharged"));
        assertEquals(List.of("2026-07-03", "2026-07-04"), texts(byDay, "key"));
        assertEquals(2, byDay.get(1).get("calls").asLong());
        assertEquals(List.of("CLI"), texts(window, "key"));
        assertEquals(1, window.get(0).get("calls").asLong());
    }

    @Test
    @DisplayName("GET usage by day counts UTC days by default: 07:59 and 08:00 on July 4 (+08:00) fall on July 3 and July 4")
    void usageByDayInUtc() {
        String id = personalAccountWithPlanCredits("frank");
        usage(newId("r"), id, "IDE", "10", "2026-07-04T07:59:00+08:00").expect(200);
        usage(newId("r"), id, "IDE", "10", "2026-07-04T08:00:00+08:00").expect(200);

        JsonNode byDay = get("/v1/accounts/" + id + "/usage?groupBy=day").expect(200).get("groups");

        assertEquals(List.of("2026-07-03", "2026-07-04"), texts(byDay, "key"));
        assertEquals(1, byDay.get(0).get("calls").asLong());
        assertEquals(1, byDay.get(1).get("calls").asLong());
    }
}

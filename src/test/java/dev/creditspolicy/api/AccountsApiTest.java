package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

@DisplayName("HTTP: accounts, cycles, add-on lots, plan changes, balance, lots and credits log")
class AccountsApiTest extends ApiTestSupport {

    @Test
    @DisplayName("POST /v1/accounts creates an account (201), and the same body again answers it again")
    void createAccount() {
        String id = newId("alice");

        Reply created = createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);
        Reply again = createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);

        assertEquals(id, created.text("accountId"));
        assertEquals("QODER_CN", created.text("realm"));
        assertEquals("PERSONAL_PRO", created.text("currentPlan"));
        assertInstant(JUL_01, created.get("createdAt"));
        assertEquals("false", created.header("Idempotent-Replayed"));
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(created.json(), again.json());
        assertEquals(created.json(), get("/v1/accounts/" + id).expect(200).json());
    }

    @Test
    @DisplayName("a read answers as a controller's return value: one JSON body with its Content-Length, not chunked")
    void readsAnswerWithContentLength() {
        String id = personalAccountWithPlanCredits("framing");
        for (String path : List.of("/v1/accounts/" + id + "/balance", "/v1/accounts/" + id)) {
            RawHttp.Answer a = RawHttp.request(port, "GET", path);
            assertEquals(200, a.status(), path);
            assertEquals(String.valueOf(a.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                    a.headers().get("content-length"), () -> path + " " + a.headers());
            assertFalse(a.headers().containsKey("transfer-encoding"), () -> path + " " + a.headers());
            assertEquals(id, JSON.readTree(a.body()).get("accountId").asString(), path);
        }
    }

    @Test
    @DisplayName("POST cycles grants a plan lot expiring at the cycle end and logs it as PLAN_CREDITS")
    void startCycle() {
        String id = newId("alice");
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);

        Reply lot = cycle(id, id + "-plan", "PERSONAL_PRO", "100.5").expect(201);

        assertEquals(id + "-plan", lot.text("lotId"));
        assertEquals("PLAN", lot.text("type"));
        assertEquals("PLAN", lot.text("source"));
        assertEquals("PERSONAL_PRO", lot.text("plan"));
        assertAmount("100.5", lot.get("amount"));
        assertAmount("100.5", lot.get("remaining"));
        assertInstant(JUL_01, lot.get("effectiveAt"));
        assertInstant(AUG_01, lot.get("expiresAt"));
        JsonNode log = get("/v1/accounts/" + id + "/credits-log").expect(200).json();
        assertEquals(1, log.size());
        assertEquals("PLAN_CREDITS", log.get(0).get("type").asString());
        assertAmount("100.5", log.get(0).get("amount"));
        assertInstant(AUG_01, log.get(0).get("initialExpiresAt"));
    }

    @Test
    @DisplayName("POST cycles without a lotId generates one")
    void startCycleGeneratedLotId() {
        String id = newId("alice");
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);

        Reply lot = post("/v1/accounts/" + id + "/cycles", json("{'plan': 'PERSONAL_PRO', 'start': '" + JUL_01
                + "', 'end': '" + AUG_01 + "', 'credits': 100}")).expect(201);

        assertTrue(lot.text("lotId").startsWith(id), lot.text("lotId"));
        assertEquals(List.of(lot.text("lotId")), texts(get("/v1/accounts/" + id + "/lots").json(), "lotId"));
    }

    @Test
    @DisplayName("POST cycles and lots without a lotId work for an account id of the longest allowed length (128)")
    void generatedLotIdForLongAccountId() {
        String id = newId("a").concat("x".repeat(128)).substring(0, 128);
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);

        Reply plan = post("/v1/accounts/" + id + "/cycles", json("{'plan': 'PERSONAL_PRO', 'start': '" + JUL_01
                + "', 'end': '" + AUG_01 + "', 'credits': 100}")).expect(201);
        Reply promo = post("/v1/accounts/" + id + "/lots", json("{'source': 'PROMOTION', 'amount': 5, "
                + "'effectiveAt': '" + JUL_01 + "', 'expiresAt': '" + AUG_01 + "', 'reason': 'welcome'}")).expect(201);

        assertNotEquals(plan.text("lotId"), promo.text("lotId"));
        assertEquals(2, get("/v1/accounts/" + id + "/lots").json().size());
        assertBalance(balance(id, "2026-07-05T00:00:00+08:00"), "105", "100", "5");
    }

    @Test
    @DisplayName("POST lots grants add-on credits; a retry with the same lotId and body answers it again")
    void grantAddon() {
        String id = newId("alice");
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);

        Reply lot = grant(id, id + "-pack", "PURCHASE", "70.5", AUG_01).expect(201);
        Reply again = grant(id, id + "-pack", "PURCHASE", "70.5000", AUG_01).expect(201);

        assertEquals("ADDON", lot.text("type"));
        assertEquals("PURCHASE", lot.text("source"));
        assertEquals("credit pack", lot.text("reason"));
        assertAmount("70.5", lot.get("amount"));
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(1, get("/v1/accounts/" + id + "/lots").json().size());
        JsonNode log = get("/v1/accounts/" + id + "/credits-log").json();
        assertEquals(1, log.size());
        assertEquals("CREDIT_PURCHASE", log.get(0).get("type").asString());
    }

    @Test
    @DisplayName("GET lots?at= lists every lot with remaining, actual expiry and whether it is active at that instant")
    void listLots() {
        String id = personalAccountWithPlanCredits("alice");
        grant(id, id + "-promo", "PROMOTION", "10", "2026-07-05T00:00:00+08:00").expect(201);

        JsonNode lots = get("/v1/accounts/" + id + "/lots?at=2026-07-10T00:00:00%2B08:00").expect(200).json();

        // newest effective date first (SPEC section 9): the promotion (July 2) before the plan lot (July 1)
        assertEquals(List.of(id + "-promo", id + "-plan"), texts(lots, "lotId"));
        assertTrue(lots.get(1).get("active").asBoolean());
        assertEquals(false, lots.get(0).get("active").asBoolean(), "the promotion expired on July 5");
        assertAmount("10", lots.get(0).get("remaining"));
        assertInstant("2026-07-05T00:00:00+08:00", lots.get(0).get("expiresAt"));
    }

    @Test
    @DisplayName("POST plan-changes (UPGRADE) answers the expiry changes; lots show the new expiry, the log the initial one")
    void upgrade() {
        String id = personalAccountWithPlanCredits("carol");

        Reply change = post("/v1/accounts/" + id + "/plan-changes", json(
                "{'toPlan': 'ENTERPRISE_TEAMS', 'at': '2026-07-10T00:00:00+08:00', 'kind': 'UPGRADE'}")).expect(201);

        assertEquals("PERSONAL_PRO", change.text("fromPlan"));
        assertEquals("ENTERPRISE_TEAMS", change.text("toPlan"));
        JsonNode changes = change.get("expiryChanges");
        assertEquals(1, changes.size());
        assertEquals(id + "-plan", changes.get(0).get("lotId").asString());
        assertInstant(AUG_01, changes.get(0).get("oldExpiresAt"));
        assertInstant("2026-07-10T00:00:00+08:00", changes.get(0).get("newExpiresAt"));
        assertTrue(changes.get(0).get("rule").asString().startsWith("An upgrade shortens"));
        JsonNode lot = get("/v1/accounts/" + id + "/lots").json().get(0);
        assertInstant("2026-07-10T00:00:00+08:00", lot.get("expiresAt"));
        assertInstant(AUG_01, lot.get("initialExpiresAt"));
        assertInstant(AUG_01, get("/v1/accounts/" + id + "/credits-log").json().get(0).get("initialExpiresAt"));
        assertEquals("ENTERPRISE_TEAMS", get("/v1/accounts/" + id).text("currentPlan"));
    }

    @Test
    @DisplayName("POST plan-changes (DOWNGRADE) answers no expiry change and the lot keeps its expiry")
    void downgrade() {
        String id = personalAccountWithPlanCredits("dave");

        Reply change = post("/v1/accounts/" + id + "/plan-changes", json(
                "{'toPlan': 'PERSONAL_COMMUNITY', 'at': '2026-07-10T00:00:00+08:00', 'kind': 'DOWNGRADE'}"))
                .expect(201);

        assertEquals(0, change.get("expiryChanges").size());
        assertInstant(AUG_01, get("/v1/accounts/" + id + "/lots").json().get(0).get("expiresAt"));
    }

    @Test
    @DisplayName("GET balance answers the total and per type at an instant, and only what a product may use")
    void balance() {
        String id = newId("acme");
        createAccount(id, "QODER", "ENTERPRISE_TEAMS").expect(201);
        cycle(id, id + "-plan", "ENTERPRISE_TEAMS", "300").expect(201);

        Reply all = balance(id, "2026-07-05T00:00:00+08:00");
        Reply ide = get("/v1/accounts/" + id + "/balance?at=2026-07-05T00:00:00%2B08:00&product=IDE").expect(200);
        Reply cli = get("/v1/accounts/" + id + "/balance?at=2026-07-05T00:00:00%2B08:00&product=CLI").expect(200);

        assertBalance(all, "300", "300", "0");
        assertInstant("2026-07-05T00:00:00+08:00", all.get("at"));
        assertBalance(ide, "0", "0", "0");
        assertBalance(cli, "300", "300", "0");
    }

    @Test
    @DisplayName("GET balance counts plan and add-on credits separately and drops expired lots")
    void balancePerType() {
        String id = personalAccountWithPlanCredits("alice");
        grant(id, id + "-pack", "PURCHASE", "40.25", AUG_01).expect(201);

        assertBalance(balance(id, "2026-07-01T12:00:00+08:00"), "100", "100", "0");
        assertBalance(balance(id, "2026-07-15T00:00:00+08:00"), "140.25", "100", "40.25");
        assertBalance(balance(id, AUG_01), "0", "0", "0");
    }

    @Test
    @DisplayName("GET credits-log lists acquisitions newest first")
    void creditsLogNewestFirst() {
        String id = personalAccountWithPlanCredits("alice");
        grant(id, id + "-pack", "PURCHASE", "50", AUG_01).expect(201);

        JsonNode log = get("/v1/accounts/" + id + "/credits-log").expect(200).json();

        assertEquals(List.of(id + "-pack", id + "-plan"), texts(log, "lotId"));
        assertEquals(List.of("CREDIT_PURCHASE", "PLAN_CREDITS"), texts(log, "type"));
    }
}

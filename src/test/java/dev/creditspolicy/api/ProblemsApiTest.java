package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every refusal is application/problem+json with a stable type slug, a title and the offending field, and stores
 * nothing: each test checks with a GET afterwards.
 */
@DisplayName("HTTP: refusals are problem+json and store nothing")
class ProblemsApiTest extends ApiTestSupport {
    private static final String JUL_05 = "2026-07-05T10:00:00+08:00";

    private void assertNoDecision(String requestId) {
        assertProblem(get("/v1/usage/" + requestId), 404, "not-found", "requestId");
    }

    private void assertNoLots(String account) {
        assertEquals(0, get("/v1/accounts/" + account + "/lots").expect(200).json().size());
        assertEquals(0, get("/v1/accounts/" + account + "/credits-log").expect(200).json().size());
    }

    private void assertNoAccount(String account) {
        assertProblem(get("/v1/accounts/" + account), 404, "unknown-account", "accountId");
    }

    private void assertUntouched(String account) {
        assertBalance(balance(account, "2026-07-06T00:00:00+08:00"), "100", "100", "0");
        assertEquals(0, get("/v1/accounts/" + account + "/usage").get("groups").size());
    }

    // ---- validation-failed

    @Test
    @DisplayName("a missing field is validation-failed naming the field")
    void missingField() {
        String id = newId("alice");

        Reply r = post("/v1/accounts", json("{'accountId': '" + id + "', 'realm': 'QODER_CN', "
                + "'plan': 'PERSONAL_PRO'}"));

        assertProblem(r, 400, "validation-failed", "at");
        assertTrue(r.text("detail").contains("'at' is required"), r.text("detail"));
        assertNoAccount(id);
    }

    @Test
    @DisplayName("a missing usage field (credits) is validation-failed and no decision is stored")
    void missingUsageField() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");

        Reply r = post("/v1/usage", json("{'requestId': '" + rid + "', 'accountId': '" + id + "', "
                + "'product': 'CLI', 'feature': 'QUEST_AGENT', 'model': 'm', 'outcome': 'SUCCEEDED', "
                + "'occurredAt': '" + JUL_05 + "'}"));

        assertProblem(r, 400, "validation-failed", "credits");
        assertNoDecision(rid);
        assertUntouched(id);
    }

    @Test
    @DisplayName("an unknown enum value is validation-failed; the detail names the allowed values and 'allowed' lists them")
    void unknownEnumValue() {
        String id = newId("alice");

        Reply r = post("/v1/accounts", json("{'accountId': '" + id + "', 'realm': 'QODER_CN', "
                + "'plan': 'PERSONAL_ULTRA', 'at': '" + JUL_01 + "'}"));

        assertProblem(r, 400, "validation-failed", "plan");
        String detail = r.text("detail");
        assertTrue(detail.contains("PERSONAL_ULTRA"), detail);
        for (String plan : List.of("PERSONAL_COMMUNITY", "PERSONAL_PRO", "ENTERPRISE_TEAMS", "ENTERPRISE_VPC")) {
            assertTrue(detail.contains(plan), detail);
        }
        assertEquals(List.of("PERSONAL_COMMUNITY", "PERSONAL_PRO", "ENTERPRISE_TEAMS", "ENTERPRISE_VPC"),
                r.get("allowed").valueStream().map(n -> n.asString()).toList());
        assertNoAccount(id);
    }

    @Test
    @DisplayName("an unknown product on a usage call lists the products in 'allowed'")
    void unknownProduct() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");

        Reply r = post("/v1/usage", usageBody(rid, id, "VSCODE", "10", JUL_05));

        assertProblem(r, 400, "validation-failed", "product");
        assertEquals(List.of("IDE", "JETBRAINS", "QODERWORK", "CLI", "MOBILE"),
                r.get("allowed").valueStream().map(n -> n.asString()).toList());
        assertNoDecision(rid);
        assertUntouched(id);
    }

    @Test
    @DisplayName("a negative add-on amount is validation-failed on 'amount' and grants nothing")
    void negativeAmount() {
        String id = newId("alice");
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);

        assertProblem(grant(id, id + "-pack", "PURCHASE", "-5", AUG_01), 400, "validation-failed", "amount");
        assertNoLots(id);
    }

    @Test
    @DisplayName("a zero add-on amount is validation-failed too")
    void zeroAmount() {
        String id = newId("alice");
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);

        assertProblem(grant(id, id + "-pack", "PURCHASE", "0", AUG_01), 400, "validation-failed", "amount");
        assertNoLots(id);
    }

    @Test
    @DisplayName("a negative usage cost is validation-failed on 'credits'")
    void negativeCredits() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");

        assertProblem(usage(rid, id, "CLI", "-1", JUL_05), 400, "validation-failed", "credits");
        assertNoDecision(rid);
        assertUntouched(id);
    }

    @Test
    @DisplayName("a cost with more than 4 decimals is validation-failed, never rounded")
    void moreThanFourDecimals() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");

        Reply r = usage(rid, id, "CLI", "1.23456", JUL_05);

        assertProblem(r, 400, "validation-failed", "credits");
        assertTrue(r.text("detail").contains("1.23456"), r.text("detail"));
        assertNoDecision(rid);
        assertUntouched(id);
    }

    @Test
    @DisplayName("4 decimals (with trailing zeros beyond) are accepted: 1.23450 is 1.2345")
    void fourDecimalsAccepted() {
        String id = personalAccountWithPlanCredits("alice");

        Reply r = usage(newId("r"), id, "CLI", "1.23450", JUL_05).expect(200);

        assertAmount("1.2345", r.get("charged"));
    }

    @Test
    @DisplayName("an add-on lot with expiresAt equal to effectiveAt is validation-failed on 'expiresAt'")
    void expiresAtNotAfterEffectiveAt() {
        String id = newId("alice");
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);

        assertProblem(grant(id, id + "-pack", "PURCHASE", "50", JUL_02), 400, "validation-failed", "expiresAt");
        assertProblem(grant(id, id + "-pack", "PURCHASE", "50", JUL_01), 400, "validation-failed", "expiresAt");
        assertNoLots(id);
    }

    @Test
    @DisplayName("a cycle ending before it starts is validation-failed on 'end'")
    void cycleEndBeforeStart() {
        String id = newId("alice");
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);

        Reply r = post("/v1/accounts/" + id + "/cycles", json("{'plan': 'PERSONAL_PRO', 'start': '" + AUG_01
                + "', 'end': '" + JUL_01 + "', 'credits': 100}"));

        assertProblem(r, 400, "validation-failed", "end");
        assertNoLots(id);
    }

    @Test
    @DisplayName("malformed JSON is validation-failed and stores nothing")
    void malformedJson() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");
        String truncated = usageBody(rid, id, "CLI", "10", JUL_05);
        truncated = truncated.substring(0, truncated.length() - 5);

        assertProblem(post("/v1/usage", truncated), 400, "validation-failed", null);
        assertNoDecision(rid);
        assertUntouched(id);
    }

    @Test
    @DisplayName("an unknown field is validation-failed naming it")
    void unknownField() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");
        String body = usageBody(rid, id, "CLI", "10", JUL_05).replace("{", "{\"colour\": \"blue\", ");

        Reply r = post("/v1/usage", body);

        assertProblem(r, 400, "validation-failed", "colour");
        assertNoDecision(rid);
        assertUntouched(id);
    }

    @Test
    @DisplayName("an instant without offset is validation-failed")
    void instantWithoutOffset() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");

        assertProblem(usage(rid, id, "CLI", "10", "2026-07-05T10:00:00"), 400, "validation-failed", "occurredAt");
        assertNoDecision(rid);
    }

    @Test
    @DisplayName("an amount sent as a JSON object or array is validation-failed, not an internal error")
    void amountOfWrongJsonType() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");

        assertProblem(post("/v1/usage", usageBody(rid, id, "CLI", "{}", JUL_05)), 400, "validation-failed",
                "credits");
        assertProblem(grant(id, id + "-pack", "PURCHASE", "[1]", AUG_01), 400, "validation-failed", "amount");
        assertNoDecision(rid);
        assertUntouched(id);
    }

    @Test
    @DisplayName("a reason longer than the 512 characters the ledger keeps is validation-failed; 512 are accepted")
    void reasonTooLong() {
        String id = newId("alice");
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);
        String body = json("{'lotId': '" + id + "-pack', 'source': 'PURCHASE', 'amount': 5, 'effectiveAt': '"
                + JUL_02 + "', 'expiresAt': '" + AUG_01 + "', 'reason': 'REASON'}");

        assertProblem(post("/v1/accounts/" + id + "/lots", body.replace("REASON", "x".repeat(513))), 400,
                "validation-failed", "reason");
        assertNoLots(id);
        post("/v1/accounts/" + id + "/lots", body.replace("REASON", "x".repeat(512))).expect(201);
    }

    @Test
    @DisplayName("an instant beyond year 9999 is validation-failed (out of range), not stored")
    void instantOutOfRange() {
        String id = newId("alice");
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);

        assertProblem(grant(id, id + "-pack", "PURCHASE", "5", "+300000-01-01T00:00:00Z"), 400,
                "validation-failed", "expiresAt");
        assertNoLots(id);
        grant(id, id + "-pack", "PURCHASE", "5", "9999-12-31T23:59:59Z").expect(201);
    }

    // ---- the other slugs

    @Test
    @DisplayName("a call for an account that does not exist is unknown-account (404)")
    void unknownAccount() {
        String ghost = newId("ghost");
        String rid = newId("r");

        assertProblem(usage(rid, ghost, "CLI", "10", JUL_05), 404, "unknown-account", "accountId");
        assertProblem(get("/v1/accounts/" + ghost + "/balance"), 404, "unknown-account", "accountId");
        assertProblem(cycle(ghost, ghost + "-plan", "PERSONAL_PRO", "100"), 404, "unknown-account", "accountId");
        assertNoDecision(rid);
        assertNoAccount(ghost);
    }

    @Test
    @DisplayName("creating an existing account with other details is account-exists (409); the account is unchanged")
    void accountExists() {
        String id = newId("alice");
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);

        assertProblem(createAccount(id, "QODER", "PERSONAL_PRO"), 409, "account-exists", "accountId");
        Reply account = get("/v1/accounts/" + id).expect(200);
        assertEquals("QODER_CN", account.text("realm"));
        assertEquals(1, account.get("planHistory").size());
    }

    @Test
    @DisplayName("a call naming another realm than its account's is realm-mismatch (422) and stores nothing")
    void realmMismatch() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");
        String body = usageBody(rid, id, "CLI", "10", JUL_05).replace("{", "{\"realm\": \"QODER\", ");

        assertProblem(post("/v1/usage", body), 422, "realm-mismatch", "realm");
        assertProblem(post("/v1/evaluate", body), 422, "realm-mismatch", "realm");
        assertNoDecision(rid);
        assertUntouched(id);
    }

    @Test
    @DisplayName("add-on credits for an enterprise account are addon-not-allowed (422); no lot, no log entry")
    void addonNotAllowed() {
        String id = newId("acme");
        createAccount(id, "QODER", "ENTERPRISE_TEAMS").expect(201);

        Reply r = grant(id, id + "-pack", "PURCHASE", "50", AUG_01);

        assertProblem(r, 422, "addon-not-allowed", "source");
        assertTrue(r.text("detail").contains("personal use"), r.text("detail"));
        assertNoLots(id);
    }

    @Test
    @DisplayName("a requestId reused with another body is idempotency-conflict (409); the first decision stands")
    void usageIdempotencyConflict() {
        String id = personalAccountWithPlanCredits("alice");
        String rid = newId("r");
        Reply first = usage(rid, id, "CLI", "10", JUL_05).expect(200);

        assertProblem(usage(rid, id, "CLI", "11", JUL_05), 409, "idempotency-conflict", "requestId");
        assertEquals(first.json(), get("/v1/usage/" + rid).expect(200).json());
        assertBalance(balance(id, "2026-07-06T00:00:00+08:00"), "90", "90", "0");
    }

    @Test
    @DisplayName("a lotId reused with another body is idempotency-conflict (409); the first lot stands")
    void lotIdempotencyConflict() {
        String id = newId("alice");
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);
        grant(id, id + "-pack", "PURCHASE", "50", AUG_01).expect(201);

        assertProblem(grant(id, id + "-pack", "PURCHASE", "60", AUG_01), 409, "idempotency-conflict", "lotId");
        assertProblem(cycle(id, id + "-pack", "PERSONAL_PRO", "50"), 409, "idempotency-conflict", "lotId");
        Reply lots = get("/v1/accounts/" + id + "/lots").expect(200);
        assertEquals(1, lots.json().size());
        assertAmount("50", lots.json().get(0).get("amount"));
        assertEquals(1, get("/v1/accounts/" + id + "/credits-log").json().size());
    }

    @Test
    @DisplayName("an unknown product in the balance query is validation-failed on 'product'")
    void balanceUnknownProduct() {
        String id = personalAccountWithPlanCredits("alice");

        assertProblem(get("/v1/accounts/" + id + "/balance?product=VSCODE"), 400, "validation-failed", "product");
    }

    @Test
    @DisplayName("an unknown groupBy is validation-failed on 'groupBy'")
    void unknownGroupBy() {
        String id = personalAccountWithPlanCredits("alice");

        assertProblem(get("/v1/accounts/" + id + "/usage?groupBy=week"), 400, "validation-failed", "groupBy");
    }
}

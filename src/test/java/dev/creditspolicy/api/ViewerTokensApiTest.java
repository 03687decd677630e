package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Viewer tokens (SPEC section 8): one account's balance, lots, credits log and usage, until they expire. */
class ViewerTokensApiTest extends ApiTestSupport {
    private static final String[] READS = {"/balance", "/lots", "/credits-log", "/usage", "/subscription"};

    @Test
    void aViewerTokenReadsItsAccountAndNothingElse() {
        String id = personalAccountWithPlanCredits("view");
        String other = personalAccountWithPlanCredits("view-other");
        String op = newKey(newId("op"), "'operator'", "'QODER_CN'");
        Reply minted = post("/v1/accounts/" + id + "/viewer-tokens", json("{'ttlSeconds': 600}"), op).expect(201);
        String token = minted.text("token");
        Instant expiresAt = Instant.parse(minted.text("expiresAt"));
        assertTrue(expiresAt.isAfter(Instant.now().plusSeconds(590)) && expiresAt.isBefore(Instant.now()
                .plusSeconds(610)), minted.response().body());
        for (String read : READS) {
            get("/v1/accounts/" + id + read, token).expect(200);
            assertProblem(get("/v1/accounts/" + other + read, token), 403, "forbidden", null);
        }
        assertProblem(get("/v1/accounts/" + id, token), 403, "forbidden", null);
        assertProblem(get("/v1/accounts/" + id + "/plan-changes", token), 403, "forbidden", null);
        assertProblem(post("/v1/usage", usageBody(newId("u"), id, "CLI", "1", JUL_02), token), 403, "forbidden",
                null);
        assertProblem(post("/v1/accounts/" + id + "/viewer-tokens", json("{'ttlSeconds': 60}"), token), 403,
                "forbidden", null);
        assertProblem(get("/v1/rules", token), 403, "forbidden", null);
        assertEquals(100, get("/v1/accounts/" + id + "/balance?at=2026-07-05T00:00:00Z", token).get("total").intValue());
    }

    @Test
    void tamperedOrExpiredTokensAreUnauthenticated() throws InterruptedException {
        String id = personalAccountWithPlanCredits("view-t");
        String token = post("/v1/accounts/" + id + "/viewer-tokens", json("{'ttlSeconds': 1}")).expect(201)
                .text("token");
        String payload = token.substring(4, token.indexOf('.'));
        String forged = "cpv_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("v1|" + id + "-x|4102444800").getBytes()) + token.substring(token.indexOf('.'));
        assertProblem(get("/v1/accounts/" + id + "-x/balance", forged), 401, "unauthenticated", null);
        char last = token.charAt(token.length() - 1);
        String flipped = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertProblem(get("/v1/accounts/" + id + "/balance", flipped), 401, "unauthenticated", null);
        assertProblem(get("/v1/accounts/" + id + "/balance", "cpv_" + payload), 401, "unauthenticated", null);
        assertProblem(get("/v1/accounts/" + id + "/balance", "cpv_%%%.###"), 401, "unauthenticated", null);
        Thread.sleep(2100);
        assertProblem(get("/v1/accounts/" + id + "/balance", token), 401, "unauthenticated", null);
    }

    @Test
    void mintingChecksTheAccountTheTtlAndTheRealm() {
        String id = personalAccountWithPlanCredits("view-m");
        assertProblem(post("/v1/accounts/" + newId("nobody") + "/viewer-tokens", json("{'ttlSeconds': 60}")), 404,
                "unknown-account", "accountId");
        assertProblem(post("/v1/accounts/" + id + "/viewer-tokens", json("{'ttlSeconds': 0}")), 400,
                "validation-failed", "ttlSeconds");
        assertProblem(post("/v1/accounts/" + id + "/viewer-tokens", json("{'ttlSeconds': 86401}")), 400,
                "validation-failed", "ttlSeconds");
        String qoder = newKey(newId("q-op"), "'operator'", "'QODER'");
        assertProblem(post("/v1/accounts/" + id + "/viewer-tokens", json("{'ttlSeconds': 60}"), qoder), 404,
                "unknown-account", "accountId");
        String service = newKey(newId("svc"), "'service'", "'QODER_CN'");
        assertProblem(post("/v1/accounts/" + id + "/viewer-tokens", json("{'ttlSeconds': 60}"), service), 403,
                "forbidden", null);
    }
}

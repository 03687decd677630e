package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.support.TestDatabases;

/** Keys (create once-shown, list without secrets, revoke) and the audit trail of who changed what (SPEC section 8). */
class KeysAndAuditApiTest extends ApiTestSupport {
    @Test
    void aKeyIsShownOnceListedWithoutSecretAndRefusedAtOnceWhenRevoked() {
        String name = newId("svc");
        Reply created = post("/v1/keys", json("{'name': '" + name + "', 'roles': ['service', 'operator'], "
                + "'realms': ['QODER']}")).expect(201);
        String secret = created.text("secret");
        assertTrue(secret.startsWith("cpk_") && secret.length() > 40, secret);
        assertEquals("[\"service\",\"operator\"]", created.get("roles").toString());

        get("/v1/accounts/" + newId("nobody"), secret).expect(404);
        Reply list = get("/v1/keys").expect(200);
        assertFalse(list.response().body().contains(secret), "a listing shows no secret");
        assertFalse(list.response().body().contains("secret"), "nor a field for it");
        JsonNode listed = find(list.json(), name);
        assertNotNull(listed, list.response().body());
        assertEquals("[\"QODER\"]", listed.get("realms").toString());
        assertTrue(listed.get("revokedAt").isNull());

        assertProblem(post("/v1/keys", json("{'name': '" + name + "', 'roles': ['service'], 'realms': ['QODER']}")),
                409, "key-exists", "name");
        call("DELETE", "/v1/keys/" + name, null, ADMIN).expect(200);
        assertProblem(get("/v1/accounts/" + newId("nobody"), secret), 401, "unauthenticated", null);
        assertProblem(call("DELETE", "/v1/keys/" + name, null, ADMIN), 404, "unknown-key", "name");
        assertProblem(call("DELETE", "/v1/keys/" + newId("never"), null, ADMIN), 404, "unknown-key", "name");
        assertFalse(find(get("/v1/keys").expect(200).json(), name).get("revokedAt").isNull());
    }

    @Test
    void badKeyRequestsAreValidationFailures() {
        assertProblem(post("/v1/keys", json("{'name': 'x', 'roles': ['root'], 'realms': ['QODER']}")), 400,
                "validation-failed", "roles");
        assertProblem(post("/v1/keys", json("{'name': 'x', 'roles': ['service'], 'realms': ['MARS']}")), 400,
                "validation-failed", "realms");
        assertProblem(post("/v1/keys", json("{'name': 'x', 'roles': [], 'realms': ['QODER']}")), 400,
                "validation-failed", "roles");
        assertProblem(post("/v1/keys", json("{'name': 'a b', 'roles': ['service'], 'realms': ['QODER']}")), 400,
                "validation-failed", "name");
        assertProblem(post("/v1/keys", json("{'name': 'x', 'roles': ['service'], 'realms': ['QODER'], 'y': 1}")),
                400, "validation-failed", "y");
    }

    @Test
    void theAuditListsEachChangeWithTheKeyThatMadeIt() {
        String opName = newId("op");
        String op = newKey(opName, "'operator'", "'QODER_CN'");
        String analystName = newId("an");
        String analyst = newKey(analystName, "'analyst'", "'QODER_CN'");
        String id = newId("aud");
        post("/v1/accounts", json("{'accountId': '" + id + "', 'realm': 'QODER_CN', 'plan': 'PERSONAL_PRO', 'at': '"
                + JUL_01 + "'}"), op).expect(201);
        post("/v1/accounts/" + id + "/cycles", json("{'lotId': '" + id + "-plan', 'plan': 'PERSONAL_PRO', 'start': '"
                + JUL_01 + "', 'end': '" + AUG_01 + "', 'credits': 100}"), op).expect(201);
        post("/v1/accounts/" + id + "/lots", json("{'lotId': '" + id + "-pack', 'source': 'PURCHASE', 'amount': 5, "
                + "'effectiveAt': '" + JUL_02 + "', 'expiresAt': '" + AUG_01 + "', 'reason': 'pack'}"), op)
                .expect(201);
        post("/v1/accounts/" + id + "/plan-changes", json("{'toPlan': 'PERSONAL_COMMUNITY', 'at': "
                + "'2026-07-10T00:00:00+08:00', 'kind': 'DOWNGRADE'}"), op).expect(201);
        // a retry changes nothing and is not audited again
        post("/v1/accounts/" + id + "/lots", json("{'lotId': '" + id + "-pack', 'source': 'PURCHASE', 'amount': 5, "
                + "'effectiveAt': '" + JUL_02 + "', 'expiresAt': '" + AUG_01 + "', 'reason': 'pack'}"), op)
                .expect(201);
        post("/v1/rules/reload", null, analyst).expect(200);

        Reply byOp = get("/v1/audit?actor=" + opName).expect(200);
        assertEquals(List.of("planChange", "grant", "cycle", "account"), texts(byOp.json(), "action"));
        for (JsonNode entry : byOp.json()) {
            assertEquals(id, entry.get("target").asString());
            assertTrue(entry.get("request").isObject() && entry.get("result").isObject(), entry.toString());
            assertNotNull(entry.get("at").asString());
        }
        assertEquals(id + "-pack", byOp.json().get(1).get("result").get("lotId").asString());
        Reply byAnalyst = get("/v1/audit?actor=" + analystName).expect(200);
        assertEquals(List.of("rulesReload"), texts(byAnalyst.json(), "action"));
        // the reload stays in the rules history as well
        assertTrue(get("/v1/rules/history?limit=5").expect(200).json().get(0).get("trigger").asString()
                .equals("API"));

        List<String> adminActions = new ArrayList<>();
        for (JsonNode entry : get("/v1/audit?actor=admin&limit=1000").expect(200).json()) {
            if (entry.get("target").asString().equals(opName)) {
                adminActions.add(entry.get("action").asString());
                assertFalse(entry.toString().contains(op), "the audit never holds a secret");
                assertTrue(entry.get("result").get("secret") == null, entry.toString());
            }
        }
        assertEquals(List.of("keyCreate"), adminActions);
        assertEquals(0, get("/v1/audit?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z").expect(200).json()
                .size());
        assertFalse(get("/v1/audit?limit=1000").response().body().contains(TestDatabases.ADMIN_KEY));
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode k : list) {
            if (k.get("name").asString().equals(name)) {
                return k;
            }
        }
        return null;
    }
}

package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import java.util.UUID;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.policy.Sha256;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.support.TestDatabases;

/** Keys (create once-shown, list without secrets, revoke) and the audit trail of who changed what (SPEC section 8). */
class KeysAndAuditApiTest extends ApiTestSupport {
    @Autowired
    DataSource dataSource;

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

    @Test
    @DisplayName("a key mints only keys within its own roles and realms: a QODER admin cannot mint QODER_CN or "
            + "all-realm keys, nor revoke them")
    void aKeyMintsOnlyWithinItsOwnRolesAndRealms() {
        String qoderAdmin = newKey(newId("qa"), "'admin'", "'QODER'");
        for (String realms : List.of("'QODER_CN'", "'QODER', 'QODER_CN'")) {
            String name = newId("esc");
            assertProblem(post("/v1/keys", json("{'name': '" + name + "', 'roles': ['admin'], 'realms': [" + realms
                    + "]}"), qoderAdmin), 403, "forbidden", "realms");
            assertNull(find(get("/v1/keys").expect(200).json(), name), "a refused key is not stored");
        }
        String cnService = newId("cn-svc");
        newKey(cnService, "'service'", "'QODER_CN'");
        assertProblem(call("DELETE", "/v1/keys/" + cnService, null, qoderAdmin), 403, "forbidden", "name");
        assertProblem(call("DELETE", "/v1/keys/admin", null, qoderAdmin), 403, "forbidden", "name");
        // within its realm it may give any role (admin covers them all) and take it back
        String mine = newId("q-an");
        post("/v1/keys", json("{'name': '" + mine + "', 'roles': ['analyst', 'operator'], 'realms': ['QODER']}"),
                qoderAdmin).expect(201);
        call("DELETE", "/v1/keys/" + mine, null, qoderAdmin).expect(200);
    }

    @Test
    @DisplayName("key names are [A-Za-z0-9][A-Za-z0-9_-]{0,63}: '.', '..', '.a', '-a', 'a.b', 65 characters refused")
    void keyNamesFollowTheirSyntax() {
        for (String bad : List.of(".", "..", "...", ".a", "-a", "_a", "a.b", "a:b", "a@b", "a/b", "a b", "é",
                "a".repeat(65))) {
            assertProblem(post("/v1/keys", json("{'name': '" + bad + "', 'roles': ['service'], 'realms': "
                    + "['QODER']}")), 400, "validation-failed", "name");
            assertNull(find(get("/v1/keys").expect(200).json(), bad), bad);
        }
        for (String good : List.of("a_b-C9-" + newId("k"), "Z" + newId("k").replace("-", "").repeat(8)
                .substring(0, 63))) {
            newKey(good, "'service'", "'QODER'");
            call("DELETE", "/v1/keys/" + good, null, ADMIN).expect(200);
        }
    }

    @Test
    @DisplayName("keys stored with names of the old syntax ('.', '..', '.x', '-x') keep working and can be revoked")
    void keysOfTheOldNameSyntaxCanBeRevoked() {
        String tail = newId("").substring(1);
        Jdbi jdbi = Jdbi.create(dataSource);
        for (String name : List.of(".", "..", "...", "." + tail, "-" + tail, "_" + tail, "a.b" + tail)) {
            String secret = "cpk_legacy-" + UUID.randomUUID();
            jdbi.useHandle(h -> h.execute("INSERT INTO api_keys (name, secret_sha256, roles, realms, created_at) "
                    + "VALUES (?, ?, 'ADMIN', 'QODER_CN', CURRENT_TIMESTAMP)", name, Sha256.hex(secret)));
            get("/v1/keys", secret).expect(200);
            boolean pathCarriesIt = !name.equals(".") && !name.equals("..");
            call("DELETE", pathCarriesIt ? "/v1/keys/" + name : "/v1/keys?name=" + name, null, ADMIN).expect(200);
            assertProblem(get("/v1/keys", secret), 401, "unauthenticated", null);
            assertProblem(call("DELETE", "/v1/keys?name=" + name, null, ADMIN), 404, "unknown-key", "name");
            jdbi.useHandle(h -> h.execute("DELETE FROM api_keys WHERE name = ?", name));
        }
    }

    @Test
    @DisplayName("the last key holding admin for every realm cannot be revoked (409 last-admin), by itself or another")
    void theLastAdminForEveryRealmCannotBeRevoked() {
        for (JsonNode k : get("/v1/keys").expect(200).json()) { // leftovers of other tests would let it go
            if (!k.get("name").asString().equals("admin") && k.get("revokedAt").isNull()
                    && k.get("roles").toString().contains("admin") && k.get("realms").size() == Realm.values().length) {
                call("DELETE", "/v1/keys/" + k.get("name").asString(), null, ADMIN).expect(200);
            }
        }
        newKey(newId("qoder-admin"), "'admin'", "'QODER'"); // not every realm: does not count
        assertProblem(call("DELETE", "/v1/keys/admin", null, ADMIN), 409, "last-admin", "name");
        get("/v1/keys").expect(200);
        String second = newId("admin2");
        String secondKey = newKey(second, "'admin'", "'QODER', 'QODER_CN'");
        // an admin may revoke itself while another key holds admin for every realm
        call("DELETE", "/v1/keys/" + second, null, secondKey).expect(200);
        assertProblem(call("DELETE", "/v1/keys/admin", null, ADMIN), 409, "last-admin", "name");
        assertTrue(find(get("/v1/keys").expect(200).json(), "admin").get("revokedAt").isNull());
    }

    @Test
    @DisplayName("minting a viewer token is audited (who, which account, until when), never the token")
    void mintingAViewerTokenIsAudited() {
        String opName = newId("op-vt");
        String op = newKey(opName, "'operator'", "'QODER_CN'");
        String id = personalAccountWithPlanCredits("vt-audit");
        Reply minted = post("/v1/accounts/" + id + "/viewer-tokens", json("{'ttlSeconds': 600}"), op).expect(201);
        JsonNode audit = get("/v1/audit?actor=" + opName).expect(200).json();
        assertEquals(List.of("viewerToken"), texts(audit, "action"));
        assertEquals(id, audit.get(0).get("target").asString());
        assertEquals(minted.text("expiresAt"), audit.get(0).get("result").get("expiresAt").asString());
        assertEquals(600, audit.get(0).get("request").get("ttlSeconds").asInt());
        assertFalse(audit.toString().contains(minted.text("token")), "the audit never holds the token");
        assertFalse(audit.toString().contains(minted.text("token").substring(4, 20)));
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

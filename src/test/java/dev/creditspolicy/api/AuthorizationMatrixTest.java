package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.creditspolicy.ledger.LedgerTables;

/**
 * SPEC section 8, walked call by call: every endpoint with no key, a bad key, a revoked key, a key of each role (realm
 * QODER_CN), an operator key of the other realm (QODER) and a viewer token of another account. Each answers 401, 403, 404 or 2xx as the spec says; a
 * refused call stores nothing (ledger tables, keys and audit unchanged); an account of the other realm answers
 * exactly what an unknown account answers.
 */
class AuthorizationMatrixTest extends ApiTestSupport {
    @Autowired
    DataSource dataSource;

    enum Who { SERVICE, OPERATOR, ANALYST, ADMIN }

    static final Set<Who> READERS = Set.of(Who.SERVICE, Who.OPERATOR, Who.ADMIN);
    static final Set<Who> WRITERS = Set.of(Who.OPERATOR, Who.ADMIN);
    static final Set<Who> RULES = Set.of(Who.ANALYST, Who.ADMIN);
    static final Set<Who> ADMINS = Set.of(Who.ADMIN);

    /** One request, built fresh for each caller (new ids where a success would otherwise be a retry). */
    record Call(String method, String path, String body) {
    }

    /**
     * An endpoint: who may call it; whether it touches a QODER_CN account (the other realm's key then gets 404, and
     * {@code ghost} builds the same request for an account id that does not exist).
     */
    record Endpoint(String name, Set<Who> allowed, boolean scoped, Supplier<Call> call, Supplier<Call> ghost) {
    }

    private String account;   // QODER_CN, with a plan lot and one decision
    private String requestId;

    private List<Endpoint> endpoints() {
        List<Endpoint> e = new ArrayList<>();
        String ghost = "ghost-" + newId("x");
        e.add(new Endpoint("create account", WRITERS, false, () -> new Call("POST", "/v1/accounts",
                accountBody(newId("m"), "QODER_CN")), null));
        e.add(scoped("account", READERS, id -> new Call("GET", "/v1/accounts/" + id, null), ghost));
        e.add(scoped("cycle", WRITERS, id -> new Call("POST", "/v1/accounts/" + id + "/cycles", json("{'lotId': '"
                + newId("lot") + "', 'plan': 'PERSONAL_PRO', 'start': '" + JUL_01 + "', 'end': '" + AUG_01
                + "', 'credits': 1}")), ghost));
        e.add(scoped("grant", WRITERS, id -> new Call("POST", "/v1/accounts/" + id + "/lots", json("{'lotId': '"
                + newId("lot") + "', 'source': 'PURCHASE', 'amount': 1, 'effectiveAt': '" + JUL_02
                + "', 'expiresAt': '" + AUG_01 + "', 'reason': 'pack'}")), ghost));
        e.add(new Endpoint("plan change", WRITERS, true, () -> planChange(freshAccount()), () -> planChange(ghost)));
        e.add(scoped("viewer token", WRITERS, id -> new Call("POST", "/v1/accounts/" + id + "/viewer-tokens",
                json("{'ttlSeconds': 60}")), ghost));
        e.add(scoped("plan changes", READERS, id -> new Call("GET", "/v1/accounts/" + id + "/plan-changes", null),
                ghost));
        e.add(scoped("balance", READERS, id -> new Call("GET", "/v1/accounts/" + id + "/balance", null), ghost));
        e.add(scoped("lots", READERS, id -> new Call("GET", "/v1/accounts/" + id + "/lots", null), ghost));
        e.add(scoped("credits log", READERS, id -> new Call("GET", "/v1/accounts/" + id + "/credits-log", null),
                ghost));
        e.add(scoped("subscription", READERS, id -> new Call("GET", "/v1/accounts/" + id + "/subscription", null),
                ghost));
        e.add(scoped("usage report", READERS, id -> new Call("GET", "/v1/accounts/" + id + "/usage", null), ghost));
        e.add(scoped("evaluate", READERS, id -> new Call("POST", "/v1/evaluate",
                usageBody(newId("ev"), id, "CLI", "1", JUL_02)), ghost));
        e.add(scoped("usage", READERS, id -> new Call("POST", "/v1/usage",
                usageBody(newId("u"), id, "CLI", "1", JUL_02)), ghost));
        e.add(new Endpoint("find usage", READERS, true, () -> new Call("GET", "/v1/usage/" + requestId, null),
                () -> new Call("GET", "/v1/usage/" + requestId + "-ghost", null)));
        e.add(scoped("void", WRITERS, id -> new Call("POST", "/v1/accounts/" + id + "/lots/" + id + "-plan/void",
                json("{'at': '2026-07-31T00:00:00+08:00', 'reason': '" + newId("refund") + "'}")), ghost));
        e.add(new Endpoint("reversal", WRITERS, true, () -> reversal(chargedRequest()),
                () -> reversal(requestId + "-ghost")));
        e.add(open("rules", RULES, () -> new Call("GET", "/v1/rules", null)));
        e.add(open("rules history", RULES, () -> new Call("GET", "/v1/rules/history", null)));
        e.add(open("rules reload", RULES, () -> new Call("POST", "/v1/rules/reload", null)));
        e.add(open("list keys", ADMINS, () -> new Call("GET", "/v1/keys", null)));
        e.add(open("create key", ADMINS, () -> new Call("POST", "/v1/keys", json("{'name': '" + newId("k")
                + "', 'roles': ['service'], 'realms': ['QODER_CN']}"))));
        e.add(open("revoke key", ADMINS, () -> new Call("DELETE", "/v1/keys/" + spareKey("QODER_CN"), null)));
        e.add(open("create key beyond own realms", Set.of(), () -> new Call("POST", "/v1/keys", json("{'name': '"
                + newId("k") + "', 'roles': ['service'], 'realms': ['QODER_CN', 'QODER']}"))));
        e.add(open("revoke key beyond own realms", Set.of(), () -> new Call("DELETE", "/v1/keys/" + spareKey("QODER"),
                null)));
        e.add(open("audit", ADMINS, () -> new Call("GET", "/v1/audit", null)));
        e.add(open("metrics", ADMINS, () -> new Call("GET", "/actuator/metrics", null)));
        return e;
    }

    private Endpoint scoped(String name, Set<Who> allowed, java.util.function.Function<String, Call> call,
                            String ghost) {
        return new Endpoint(name, allowed, true, () -> call.apply(account), () -> call.apply(ghost));
    }

    private static Endpoint open(String name, Set<Who> allowed, Supplier<Call> call) {
        return new Endpoint(name, allowed, false, call, null);
    }

    private static String accountBody(String id, String realm) {
        return json("{'accountId': '" + id + "', 'realm': '" + realm + "', 'plan': 'PERSONAL_PRO', 'at': '" + JUL_01
                + "'}");
    }

    private static Call planChange(String id) {
        return new Call("POST", "/v1/accounts/" + id + "/plan-changes",
                json("{'toPlan': 'PERSONAL_COMMUNITY', 'at': '2026-07-10T00:00:00+08:00', 'kind': 'DOWNGRADE'}"));
    }

    private static Call reversal(String requestId) {
        return new Call("POST", "/v1/usage/" + requestId + "/reversal",
                json("{'at': '2026-07-03T00:00:00+08:00', 'reason': 'charged by mistake'}"));
    }

    /** A new charged decision on the matrix's account, for a reversal to reverse. */
    private String chargedRequest() {
        String id = newId("mx-rev");
        usage(id, account, "CLI", "1", JUL_02).expect(200);
        return id;
    }

    private String freshAccount() {
        return createAccount(newId("pc"), "QODER_CN", "PERSONAL_PRO").expect(201).text("accountId");
    }

    private String spareKey(String realm) {
        String name = newId("spare");
        newKey(name, "'service'", "'" + realm + "'");
        return name;
    }

    private Reply send(Call c, String key) {
        return call(c.method(), c.path(), c.body(), key);
    }

    /** Everything a refused call must leave as it was. */
    private String stored(Handle h) {
        return LedgerTables.snapshot(h) + "\nkeys=" + h.createQuery("SELECT name, revoked_at FROM api_keys ORDER BY 1")
                .mapToMap().list() + "\naudit=" + h.createQuery("SELECT COUNT(*) FROM audit_log").mapTo(Long.class)
                .one();
    }

    private void assertRefused(Handle h, Call c, String key, int status, String slug, String who) {
        String before = stored(h);
        Reply r = send(c, key);
        assertEquals(status, r.status(), () -> who + " " + c + ": " + r.response().body());
        assertTrue(r.contentType().startsWith("application/problem+json"), () -> who + " " + c);
        assertTrue(r.text("type").endsWith("/" + slug), () -> who + " " + c + ": " + r.response().body());
        assertEquals(before, stored(h), () -> who + " " + c + " stored something");
    }

    @Test
    void everyEndpointAnswersEachCallerAsTheSpecSays() {
        account = personalAccountWithPlanCredits("mx");
        requestId = newId("mx-r");
        usage(requestId, account, "CLI", "1", JUL_02).expect(200);
        String[] keys = new String[Who.values().length];
        for (Who w : Who.values()) {
            keys[w.ordinal()] = newKey(newId(w.name().toLowerCase()), "'" + w.name().toLowerCase() + "'",
                    "'QODER_CN'");
        }
        String otherRealm = newKey(newId("qoder-op"), "'operator'", "'QODER'");
        String revokedName = newId("revoked");
        String revoked = newKey(revokedName, "'admin'", "'QODER_CN', 'QODER'");
        call("DELETE", "/v1/keys/" + revokedName, null, ADMIN).expect(200);
        String elsewhere = personalAccountWithPlanCredits("mx-other");
        String otherViewer = post("/v1/accounts/" + elsewhere + "/viewer-tokens", json("{'ttlSeconds': 600}"))
                .expect(201).text("token");

        try (Handle h = Jdbi.create(dataSource).open()) {
            for (Endpoint e : endpoints()) {
                Call c = e.call().get();
                assertRefused(h, c, null, 401, "unauthenticated", "no key");
                assertRefused(h, c, "cpk_not-a-key", 401, "unauthenticated", "bad key");
                assertRefused(h, c, revoked, 401, "unauthenticated", "revoked key");
                assertRefused(h, c, otherViewer, 403, "forbidden", "viewer token of another account");
                for (Who w : Who.values()) {
                    Call fresh = e.call().get();
                    if (e.allowed().contains(w)) {
                        Reply r = send(fresh, keys[w.ordinal()]);
                        assertTrue(r.status() >= 200 && r.status() < 300, () -> w + " " + fresh + ": "
                                + r.status() + " " + r.response().body());
                    } else {
                        assertRefused(h, fresh, keys[w.ordinal()], 403, "forbidden", w.name());
                    }
                }
                Call other = e.call().get();
                if (!e.allowed().contains(Who.OPERATOR)) {
                    assertRefused(h, other, otherRealm, 403, "forbidden", "other realm");
                } else if (e.scoped()) {
                    Reply hidden = send(other, otherRealm);
                    Call ghostCall = e.ghost().get();
                    Reply real = send(ghostCall, ADMIN);
                    assertEquals(404, hidden.status(), () -> "other realm " + other + ": " + hidden.response().body());
                    assertEquals(404, real.status(), () -> "ghost " + ghostCall + ": " + real.response().body());
                    String ghostId = idIn(ghostCall);
                    String hiddenId = idIn(other);
                    assertEquals(real.response().body().replace(ghostId, "ID"),
                            hidden.response().body().replace(hiddenId, "ID"),
                            () -> e.name() + ": an account of another realm must answer like an unknown one");
                } else {
                    // creating an account in a realm the key may not touch
                    assertRefused(h, other, otherRealm, 403, "forbidden", "other realm");
                }
            }
        }
    }

    /** The id a request names: its account (path or body) or its request id. */
    private String idIn(Call c) {
        if (c.path().startsWith("/v1/usage/") || c.path().startsWith("/v1/accounts/")) {
            return c.path().split("/")[3];
        }
        return JSON.readTree(c.body()).get("accountId").asString();
    }

    @Test
    void healthAnswersOnlyItsStatusWithoutAKeyAndItsDetailsToAnAdmin() {
        for (String key : new String[] {null, newKey(newId("svc"), "'service'", "'QODER_CN', 'QODER'")}) {
            assertEquals("{\"status\":\"UP\"}", get("/actuator/health", key).expect(200).response().body());
            assertFalse(get("/actuator/health/db", key).response().body().contains("database"));
        }
        String shown = get("/actuator/health").expect(200).response().body(); // to the admin key
        assertTrue(shown.contains("\"database\"") && shown.contains("\"free\""), shown);
    }

    @Test
    void accountIdTakenInAnotherRealmIsAConflictThatNamesNoRealm() {
        String id = personalAccountWithPlanCredits("taken");
        String qoder = newKey(newId("qoder-op"), "'operator'", "'QODER'");
        Reply r = post("/v1/accounts", accountBody(id, "QODER"), qoder);
        assertProblem(r, 409, "account-exists", "accountId");
        assertFalse(r.response().body().contains("QODER_CN"), r.response().body());
        // and creating in a realm the key may not touch is forbidden, whether or not the id exists
        assertProblem(post("/v1/accounts", accountBody(id, "QODER_CN"), qoder), 403, "forbidden", "realm");
        assertProblem(post("/v1/accounts", accountBody(newId("new"), "QODER_CN"), qoder), 403, "forbidden",
                "realm");
    }
}

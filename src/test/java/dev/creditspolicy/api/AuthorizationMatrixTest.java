package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.access.Role;

import dev.creditspolicy.ledger.LedgerTables;

/**
 * SPEC section 8, walked route by route: every route Spring serves under {@code /v1}, read from its handler mappings
 * (a new route is walked without being listed here, and fails the test until it has a sample call below), with no
 * key, a bad key, a revoked key, a key of each role (realm QODER_CN), an operator key of the other realm (QODER), a
 * viewer token of the route's account and one of another account. Each answers as the route's line in
 * {@link Routes} says: 2xx to a role it names (and to the viewer token of the account where it says so), 403 to
 * every other, 401 without a valid key; a refused call stores nothing (ledger tables, keys and audit unchanged); an
 * account of the other realm answers exactly what an unknown account answers. {@link DenyByDefaultApiTest} covers
 * what no route declares.
 */
class AuthorizationMatrixTest extends ApiTestSupport {
    @Autowired
    DataSource dataSource;
    @Autowired
    ApplicationContext context;

    /** One request, built fresh for each caller (new ids where a success would otherwise be a retry). */
    record Call(String method, String path, String body) {
    }

    /**
     * How the matrix calls a route: {@code call} builds a request; for a route that touches a QODER_CN account (the
     * other realm's key then gets 404), {@code ghost} builds the same request for an id that does not exist.
     */
    record Sample(Supplier<Call> call, Supplier<Call> ghost) {
    }

    private String account;   // QODER_CN, with a plan lot and one decision
    private String requestId;
    private String holdId;
    private String delivery;  // a webhook's delivery: "<webhook id>/deliveries/<delivery id>"

    /** A sample call per route, by the route's name in {@link Routes}. */
    private Map<String, Sample> samples() {
        Map<String, Sample> s = new HashMap<>();
        String ghost = "ghost-" + newId("x");
        s.put("POST /v1/accounts", open(() -> new Call("POST", "/v1/accounts", accountBody(newId("m"), "QODER_CN"))));
        s.put("GET /v1/accounts/{id}", scoped(id -> new Call("GET", "/v1/accounts/" + id, null), ghost));
        s.put("POST /v1/accounts/{id}/cycles", scoped(id -> new Call("POST", "/v1/accounts/" + id + "/cycles",
                json("{'lotId': '" + newId("lot") + "', 'plan': 'PERSONAL_PRO', 'start': '" + JUL_01 + "', 'end': '"
                        + AUG_01 + "', 'credits': 1}")), ghost));
        s.put("POST /v1/accounts/{id}/lots", scoped(id -> new Call("POST", "/v1/accounts/" + id + "/lots",
                json("{'lotId': '" + newId("lot") + "', 'source': 'PURCHASE', 'amount': 1, 'effectiveAt': '" + JUL_02
                        + "', 'expiresAt': '" + AUG_01 + "', 'reason': 'pack'}")), ghost));
        s.put("POST /v1/accounts/{id}/plan-changes", new Sample(() -> planChange(freshAccount()),
                () -> planChange(ghost)));
        s.put("POST /v1/accounts/{id}/viewer-tokens", scoped(id -> new Call("POST", "/v1/accounts/" + id
                + "/viewer-tokens", json("{'ttlSeconds': 60}")), ghost));
        s.put("POST /v1/accounts/{id}/lots/{lotId}/void", scoped(id -> new Call("POST", "/v1/accounts/" + id
                + "/lots/" + id + "-plan/void", json("{'at': '2026-07-31T00:00:00+08:00', 'reason': '"
                + newId("refund") + "'}")), ghost));
        for (String read : List.of("plan-changes", "balance", "lots", "credits-log", "subscription", "usage",
                "usage-decisions", "events")) {
            s.put("GET /v1/accounts/{id}/" + read, scoped(id -> new Call("GET", "/v1/accounts/" + id + "/" + read,
                    null), ghost));
        }
        s.put("POST /v1/evaluate", scoped(id -> new Call("POST", "/v1/evaluate",
                usageBody(newId("ev"), id, "CLI", "1", JUL_02)), ghost));
        s.put("POST /v1/usage", scoped(id -> new Call("POST", "/v1/usage",
                usageBody(newId("u"), id, "CLI", "1", JUL_02)), ghost));
        // batches (SPEC section 10): the role is checked for the whole batch, the realm per event, in its slot
        s.put("POST " + BatchBodies.USAGE, scoped(id -> new Call("POST", BatchBodies.USAGE,
                BatchApiTest.batch(List.of(usageBody(newId("ub"), id, "CLI", "1", JUL_02)))), ghost));
        s.put("POST " + BatchBodies.EVALUATE, scoped(id -> new Call("POST", BatchBodies.EVALUATE,
                BatchApiTest.batch(List.of(usageBody(newId("eb"), id, "CLI", "1", JUL_02)))), ghost));
        s.put("GET /v1/usage/{requestId}", new Sample(() -> new Call("GET", "/v1/usage/" + requestId, null),
                () -> new Call("GET", "/v1/usage/" + requestId + "-ghost", null)));
        s.put("POST /v1/usage/{requestId}/reversal", new Sample(() -> reversal(chargedRequest()),
                () -> reversal(requestId + "-ghost")));
        s.put("POST /v1/holds", scoped(id -> new Call("POST", "/v1/holds", holdBody(newId("h"), id)), ghost));
        s.put("POST /v1/holds/{holdId}/commit", new Sample(() -> commit(freshHold()), () -> commit(ghost)));
        s.put("POST /v1/holds/{holdId}/release", new Sample(() -> release(freshHold()), () -> release(ghost)));
        s.put("GET /v1/holds/{holdId}", new Sample(() -> new Call("GET", "/v1/holds/" + holdId, null),
                () -> new Call("GET", "/v1/holds/" + ghost, null)));
        s.put("GET /v1/rules", open(() -> new Call("GET", "/v1/rules", null)));
        s.put("GET /v1/rules/history", open(() -> new Call("GET", "/v1/rules/history", null)));
        s.put("POST /v1/rules/reload", open(() -> new Call("POST", "/v1/rules/reload", null)));
        s.put("GET /v1/keys", open(() -> new Call("GET", "/v1/keys", null)));
        s.put("POST /v1/keys", open(() -> new Call("POST", "/v1/keys", json("{'name': '" + newId("k")
                + "', 'roles': ['service'], 'realms': ['QODER_CN']}"))));
        s.put("DELETE /v1/keys/{name}", open(() -> new Call("DELETE", "/v1/keys/" + spareKey("QODER_CN"), null)));
        s.put("DELETE /v1/keys", open(() -> new Call("DELETE", "/v1/keys?name=" + spareKey("QODER_CN"), null)));
        s.put("GET /v1/audit", open(() -> new Call("GET", "/v1/audit", null)));
        s.put("GET /v1/webhooks", open(() -> new Call("GET", "/v1/webhooks", null)));
        s.put("POST /v1/webhooks", open(() -> new Call("POST", "/v1/webhooks", WEBHOOK)));
        s.put("GET /v1/webhooks/{id}", open(() -> new Call("GET", "/v1/webhooks/" + spareWebhook(), null)));
        s.put("GET /v1/webhooks/{id}/deliveries", open(() -> new Call("GET", "/v1/webhooks/" + spareWebhook()
                + "/deliveries", null)));
        s.put("DELETE /v1/webhooks/{id}", open(() -> new Call("DELETE", "/v1/webhooks/" + spareWebhook(), null)));
        s.put("POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", open(() -> new Call("POST",
                "/v1/webhooks/" + delivery + "/redeliver", null)));
        return s;
    }

    /** A call that is not a /v1 route, or that every caller is refused whatever its role, and who may make it. */
    record Other(String name, Set<Role> allowed, Supplier<Call> call) {
    }

    private List<Other> others() {
        return List.of(new Other("metrics", Set.of(Role.ADMIN), () -> new Call("GET", "/actuator/metrics", null)),
                new Other("create key beyond own realms", Set.of(), () -> new Call("POST", "/v1/keys",
                        json("{'name': '" + newId("k") + "', 'roles': ['service'], 'realms': ['QODER_CN', 'QODER']}"))),
                new Other("revoke key beyond own realms", Set.of(), () -> new Call("DELETE", "/v1/keys/"
                        + spareKey("QODER"), null)));
    }

    private Sample scoped(Function<String, Call> call, String ghost) {
        return new Sample(() -> call.apply(account), () -> call.apply(ghost));
    }

    private static Sample open(Supplier<Call> call) {
        return new Sample(call, null);
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

    private static String holdBody(String holdId, String account) {
        return json("{'holdId': '" + holdId + "', 'accountId': '" + account + "', 'product': 'CLI', 'feature': "
                + "'QUEST_AGENT', 'model': 'qwen3-coder', 'credits': 1, 'occurredAt': '2026-07-05T10:00:00+08:00'}");
    }

    private static Call commit(String holdId) {
        return new Call("POST", "/v1/holds/" + holdId + "/commit", json("{'outcome': 'SUCCEEDED', 'credits': 1, "
                + "'occurredAt': '2026-07-05T10:05:00+08:00'}"));
    }

    private static Call release(String holdId) {
        return new Call("POST", "/v1/holds/" + holdId + "/release",
                json("{'occurredAt': '2026-07-05T10:05:00+08:00'}"));
    }

    /** A new hold of one credit on the matrix's account, for a commit or a release to settle. */
    private String freshHold() {
        String id = newId("mx-h");
        post("/v1/holds", holdBody(id, account)).expect(200);
        return id;
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

    private static final String WEBHOOK = json("{'url': 'http://127.0.0.1:9/hook', 'eventTypes': ['balance.low'], "
            + "'realms': ['QODER_CN']}");

    private String spareWebhook() {
        return post("/v1/webhooks", WEBHOOK).expect(201).text("id");
    }

    /** A delivery to redeliver: a webhook, then an account whose balance falls low (85 of 100 used). */
    private String delivery() throws InterruptedException {
        String webhook = spareWebhook();
        String low = personalAccountWithPlanCredits("mx-low");
        usage(newId("r"), low, "CLI", "85", "2026-07-03T10:00:00+08:00").expect(200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode listed = get("/v1/webhooks/" + webhook + "/deliveries").expect(200).json();
        while (listed.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "waited 30 s for the webhook's delivery");
            Thread.sleep(50);
            listed = get("/v1/webhooks/" + webhook + "/deliveries").expect(200).json();
        }
        return webhook + "/deliveries/" + listed.get(0).get("deliveryId").asLong();
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

    private void assertAnswered(Call c, String key, String who) {
        Reply r = send(c, key);
        assertTrue(r.status() >= 200 && r.status() < 300, () -> who + " " + c + ": " + r.status() + " "
                + r.response().body());
    }

    /** The callers of the walk: a key per role, the other realm's operator, a revoked key, two viewer tokens. */
    private record Callers(Map<Role, String> roles, String otherRealm, String revoked, String viewer,
                           String otherViewer) {
    }

    @Test
    void everyServedRouteAnswersEachCallerAsItsDeclarationSays() throws InterruptedException {
        account = personalAccountWithPlanCredits("mx");
        requestId = newId("mx-r");
        usage(requestId, account, "CLI", "1", JUL_02).expect(200);
        holdId = freshHold();
        delivery = delivery();
        Map<Role, String> keys = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            keys.put(role, newKey(newId(role.wire()), "'" + role.wire() + "'", "'QODER_CN'"));
        }
        String revokedName = newId("revoked");
        String revoked = newKey(revokedName, "'admin'", "'QODER_CN', 'QODER'");
        call("DELETE", "/v1/keys/" + revokedName, null, ADMIN).expect(200);
        String elsewhere = personalAccountWithPlanCredits("mx-other");
        Callers callers = new Callers(keys, newKey(newId("qoder-op"), "'operator'", "'QODER'"), revoked,
                viewerToken(account), viewerToken(elsewhere));

        List<String> served = RouteCheck.served(context).stream().map(RouteCheck.Served::name).distinct().toList();
        assertFalse(served.isEmpty(), "no route served under /v1: the matrix walked nothing");
        Map<String, Sample> samples = samples();
        assertEquals(List.of(), served.stream().filter(r -> !samples.containsKey(r)).toList(),
                "served routes without a sample call: add one to AuthorizationMatrixTest.samples()");
        assertEquals(List.of(), samples.keySet().stream().filter(r -> !served.contains(r)).sorted().toList(),
                "samples of routes no longer served");
        try (Handle h = Jdbi.create(dataSource).open()) {
            for (String name : served) {
                Routes.Route route = Routes.named(name);
                assertNotNull(route, () -> name + " is served but not declared in api/Routes");
                walk(h, name, route.roles(), route.viewer(), samples.get(name), callers);
            }
            for (Other other : others()) {
                walk(h, other.name(), other.allowed(), false, open(other.call()), callers);
            }
        }
    }

    private String viewerToken(String id) {
        return post("/v1/accounts/" + id + "/viewer-tokens", json("{'ttlSeconds': 600}")).expect(201).text("token");
    }

    /** One route, every caller: 2xx to the roles it names (and the viewer it admits), 403 or 401 to the rest. */
    private void walk(Handle h, String name, Set<Role> allowed, boolean viewer, Sample sample, Callers callers) {
        Call c = sample.call().get();
        assertRefused(h, c, null, 401, "unauthenticated", name + ": no key");
        assertRefused(h, c, "cpk_not-a-key", 401, "unauthenticated", name + ": bad key");
        assertRefused(h, c, callers.revoked(), 401, "unauthenticated", name + ": revoked key");
        assertRefused(h, c, callers.otherViewer(), 403, "forbidden", name + ": viewer token of another account");
        Call mine = sample.call().get();
        if (viewer) {
            assertAnswered(mine, callers.viewer(), name + ": viewer token of the account");
        } else {
            assertRefused(h, mine, callers.viewer(), 403, "forbidden", name + ": viewer token of the account");
        }
        for (Role role : Role.values()) {
            Call fresh = sample.call().get();
            if (allowed.contains(role)) {
                assertAnswered(fresh, callers.roles().get(role), name + ": " + role.wire());
            } else {
                assertRefused(h, fresh, callers.roles().get(role), 403, "forbidden", name + ": " + role.wire());
            }
        }
        Call other = sample.call().get();
        if (!allowed.contains(Role.OPERATOR) || sample.ghost() == null) {
            // nor may a key create an account in a realm it may not touch
            assertRefused(h, other, callers.otherRealm(), 403, "forbidden", name + ": other realm");
            return;
        }
        Reply hidden = send(other, callers.otherRealm());
        Call ghostCall = sample.ghost().get();
        Reply real = send(ghostCall, ADMIN);
        boolean batch = other.path().endsWith("/batch");
        String hiddenAnswer = batch ? slot(hidden) : hidden.response().body();
        String realAnswer = batch ? slot(real) : real.response().body();
        assertEquals(404, batch ? JSON.readTree(hiddenAnswer).get("status").asInt() : hidden.status(),
                () -> "other realm " + other + ": " + hidden.response().body());
        assertEquals(404, batch ? JSON.readTree(realAnswer).get("status").asInt() : real.status(),
                () -> "ghost " + ghostCall + ": " + real.response().body());
        String ghostId = idIn(ghostCall);
        String hiddenId = idIn(other);
        assertEquals(realAnswer.replace(ghostId, "ID"), hiddenAnswer.replace(hiddenId, "ID"),
                () -> name + ": an account of another realm must answer like an unknown one");
    }

    /** A batch of one event: the whole answer is 200, the event's own answer is its slot. */
    private static String slot(Reply batch) {
        batch.expect(200);
        return batch.get("results").get(0).toString();
    }

    /** The id a request names: its account (path or body) or its request id. */
    private String idIn(Call c) {
        if (c.path().endsWith("/batch")) {
            return JSON.readTree(c.body()).get("events").get(0).get("accountId").asString();
        }
        if (c.path().startsWith("/v1/usage/") || c.path().startsWith("/v1/accounts/")
                || c.path().startsWith("/v1/holds/")) {
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

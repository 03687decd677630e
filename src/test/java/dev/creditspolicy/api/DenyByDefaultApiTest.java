package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.creditspolicy.access.Role;
import fixtures.UndeclaredController;

/**
 * Deny by default (issue 25): a {@code /v1} call that no line of {@link Routes} declares is refused to every key,
 * whatever its roles, and to every viewer token (403 {@code forbidden}), and asks for a key without one (401), whether
 * Spring serves it or not; its handler never runs. Before, such a call was open to any valid key.
 */
@DisplayName("deny by default: a /v1 call no route declares answers 403 to every key, 401 without one")
class DenyByDefaultApiTest extends ApiTestSupport {
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;
    @Autowired
    ApplicationContext context;

    /** A key of each role, a key of every role and realm, the service's admin key and a viewer token of account. */
    private List<String> everyKey(String account) {
        List<String> keys = new ArrayList<>();
        for (Role r : Role.values()) {
            keys.add(newKey(newId(r.wire()), "'" + r.wire() + "'", "'QODER_CN'"));
        }
        keys.add(newKey(newId("all"), "'service', 'operator', 'analyst', 'admin'", "'QODER_CN', 'QODER'"));
        keys.add(ADMIN);
        keys.add(post("/v1/accounts/" + account + "/viewer-tokens", json("{'ttlSeconds': 600}")).expect(201)
                .text("token"));
        return keys;
    }

    private void refusedToEveryKey(String method, String path, String body, List<String> keys) {
        assertProblem(call(method, path, body, null), 401, "unauthenticated", null);
        assertProblem(call(method, path, body, "cpk_not-a-key"), 401, "unauthenticated", null);
        for (String key : keys) {
            Reply r = call(method, path, body, key);
            assertEquals(403, r.status(), () -> method + " " + path + " with " + key.substring(0, 8) + "...: "
                    + r.response().body());
            assertProblem(r, 403, "forbidden", null);
        }
    }

    @Test
    @DisplayName("a test-only controller added to the running service: served, declared nowhere, refused to every key")
    void aRouteServedButDeclaredNowhereIsRefusedToEveryKeyAndNeverRuns() throws Exception {
        String account = personalAccountWithPlanCredits("deny");
        List<String> keys = everyKey(account);
        UndeclaredController handler = new UndeclaredController();
        RequestMappingInfo read = RequestMappingInfo.paths("/v1/undeclared/{id}").methods(RequestMethod.GET)
                .options(mapping.getBuilderConfiguration()).build();
        RequestMappingInfo write = RequestMappingInfo.paths("/v1/undeclared").methods(RequestMethod.POST)
                .options(mapping.getBuilderConfiguration()).build();
        mapping.registerMapping(read, handler, UndeclaredController.class.getMethod("read", String.class));
        mapping.registerMapping(write, handler, UndeclaredController.class.getMethod("write"));
        try {
            // served indeed, and what the start-up check would refuse
            List<String> problems = RouteCheck.problems(RouteCheck.served(context), Routes.ALL);
            assertEquals(List.of("GET /v1/undeclared/{id} (UndeclaredController.read) is served but not declared "
                    + "in api/Routes", "POST /v1/undeclared (UndeclaredController.write) is served but not declared "
                    + "in api/Routes"), problems);
            refusedToEveryKey("GET", "/v1/undeclared/" + account, null, keys);
            refusedToEveryKey("POST", "/v1/undeclared", "{}", keys);
            assertEquals(0, handler.calls.get(), "a refused call never reaches its handler");
        } finally {
            mapping.unregisterMapping(read);
            mapping.unregisterMapping(write);
        }
        assertEquals(List.of(), RouteCheck.problems(RouteCheck.served(context), Routes.ALL));
    }

    @Test
    @DisplayName("a path or a method no route declares is 403 to every key (it was 404 or 405 to any key)")
    void aPathOrMethodNoRouteDeclaresIsRefusedToEveryKey() {
        String account = personalAccountWithPlanCredits("deny-p");
        List<String> keys = everyKey(account);
        String reads = "/v1/accounts/" + account;
        for (String[] c : new String[][] {{"GET", "/v1"}, {"GET", "/v1/nowhere"}, {"GET", "/v1/accounts"},
                {"GET", reads + "/nowhere"}, {"GET", reads + "/balance/x"}, {"DELETE", "/v1/rules"},
                {"PUT", "/v1/usage"}, {"PATCH", reads}, {"DELETE", reads}, {"OPTIONS", "/v1/usage"},
                {"POST", reads + "/balance"}, {"DELETE", reads + "/lots"}, {"GET", "/v1/holds"}}) {
            refusedToEveryKey(c[0], c[1], c[0].equals("GET") || c[0].equals("OPTIONS") ? null : "{}", keys);
        }
    }

    @Test
    @DisplayName("HEAD of a route answers as its GET: the same roles, the same viewer token")
    void aHeadAnswersAsItsGet() {
        String account = personalAccountWithPlanCredits("deny-h");
        String analyst = newKey(newId("analyst"), "'analyst'", "'QODER_CN'");
        String service = newKey(newId("service"), "'service'", "'QODER_CN'");
        String viewer = post("/v1/accounts/" + account + "/viewer-tokens", json("{'ttlSeconds': 600}")).expect(201)
                .text("token");
        call("HEAD", "/v1/rules", null, analyst).expect(200);
        call("HEAD", "/v1/rules", null, service).expect(403);
        call("HEAD", "/v1/rules", null, null).expect(401);
        call("HEAD", "/v1/accounts/" + account + "/balance", null, viewer).expect(200);
        call("HEAD", "/v1/accounts/" + account, null, viewer).expect(403);
        assertTrue(call("HEAD", "/v1/accounts/" + account, null, service).status() == 200);
    }
}

package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.http.HttpMethod;

import dev.creditspolicy.CreditsPolicyApplication;
import dev.creditspolicy.access.Role;
import dev.creditspolicy.api.RouteCheck.Served;
import dev.creditspolicy.support.TestDatabases;
import fixtures.UndeclaredController;

/** The start-up check between the routes Spring serves under /v1 and the routes {@link Routes} declares. */
class RouteCheckTest {
    private static final Routes.Route RULES = new Routes.Route(HttpMethod.GET, "/v1/rules", Set.of(Role.ADMIN), false);
    private static final Served SERVED_RULES = new Served("GET /v1/rules", "RulesController.rules");

    @Test
    @DisplayName("served and declared alike: nothing to say")
    void agreeing() {
        assertEquals(List.of(), RouteCheck.problems(List.of(SERVED_RULES), List.of(RULES)));
    }

    @Test
    @DisplayName("each disagreement is one sentence naming the route")
    void disagreements() {
        assertEquals(List.of("GET /v1/x (X.read) is served but not declared in api/Routes"),
                RouteCheck.problems(List.of(SERVED_RULES, new Served("GET /v1/x", "X.read")), List.of(RULES)));
        assertEquals(List.of("POST /v1/rules is declared in api/Routes but no handler serves it"),
                RouteCheck.problems(List.of(SERVED_RULES), List.of(RULES, new Routes.Route(HttpMethod.POST,
                        "/v1/rules", Set.of(Role.ADMIN), false))));
        assertEquals(List.of("/v1/any (X.any) is served for every method: map it to one method and declare it in "
                + "api/Routes"), RouteCheck.problems(List.of(SERVED_RULES, new Served("* /v1/any", "X.any")),
                List.of(RULES)));
        assertEquals(List.of("GET /v1/rules is declared twice in api/Routes"),
                RouteCheck.problems(List.of(SERVED_RULES), List.of(RULES, RULES)));
    }

    @Test
    @DisplayName("nothing served under /v1 is a failure, not a pass: there was nothing to check")
    void nothingServed() {
        assertEquals(List.of("no handler is served under /v1, so the routes of api/Routes cannot be checked"),
                RouteCheck.problems(List.of(), List.of(RULES)));
    }

    @Test
    @DisplayName("the service refuses to start with a /v1 handler api/Routes does not declare, in one line naming it")
    void theServiceRefusesToStartWithAnUndeclaredRoute() {
        Map<String, Object> settings = new HashMap<>();
        TestDatabases.register((name, value) -> settings.put(name, value.get()));
        settings.put("server.port", "0");
        String[] args = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        Throwable refused = assertThrows(Exception.class, () -> new SpringApplicationBuilder(
                CreditsPolicyApplication.class, UndeclaredController.class).run(args).close());
        while (!(refused instanceof IllegalStateException) && refused.getCause() != null) {
            refused = refused.getCause();
        }
        String message = refused.getMessage();
        assertTrue(message.startsWith("the service does not start: "), message);
        assertTrue(message.contains("GET /v1/undeclared/{id} (UndeclaredController.read) is served but not declared "
                + "in api/Routes"), message);
        assertTrue(message.contains("POST /v1/undeclared (UndeclaredController.write) is served but not declared "
                + "in api/Routes"), message);
        assertFalse(message.contains("\n"), message);
    }
}

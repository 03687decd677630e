package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

import dev.creditspolicy.access.Role;

/**
 * The declarations of {@link Routes} against SPEC section 8, as rules rather than a second list: a new route that
 * breaks one (an analyst reading an account, a service managing keys) fails here, whatever the matrix then checks.
 */
class RoutesTest {
    @Test
    @DisplayName("admin may make every call; every route names at least one role")
    void adminMayDoEverything() {
        for (Routes.Route r : Routes.ALL) {
            assertTrue(r.roles().contains(Role.ADMIN), r::name);
        }
    }

    @Test
    @DisplayName("analysts reach the rules and nothing else; the rules reach no one else")
    void analystsReachTheRulesOnly() {
        for (Routes.Route r : Routes.ALL) {
            boolean rules = r.path().equals("/v1/rules") || r.path().startsWith("/v1/rules/");
            assertEquals(rules, r.roles().contains(Role.ANALYST), r::name);
            if (rules) {
                assertEquals(Set.of(Role.ANALYST, Role.ADMIN), r.roles(), r::name);
            }
        }
    }

    @Test
    @DisplayName("keys, the audit and webhooks are admin only")
    void adminOnly() {
        for (Routes.Route r : Routes.ALL) {
            if (List.of("/v1/keys", "/v1/audit", "/v1/webhooks").stream().anyMatch(p -> r.path().equals(p)
                    || r.path().startsWith(p + "/"))) {
                assertEquals(Set.of(Role.ADMIN), r.roles(), r::name);
            }
        }
    }

    @Test
    @DisplayName("a service calls, holds and reads; it changes no account and reverses nothing (operator does)")
    void servicesCallAndRead() {
        for (Routes.Route r : Routes.ALL) {
            boolean accountChange = r.method() == HttpMethod.POST && r.path().startsWith("/v1/accounts");
            boolean reversal = r.path().endsWith("/reversal");
            if (accountChange || reversal) {
                assertEquals(Set.of(Role.OPERATOR, Role.ADMIN), r.roles(), r::name);
            }
            if (r.roles().contains(Role.SERVICE)) {
                assertTrue(r.roles().containsAll(Set.of(Role.OPERATOR, Role.ADMIN)), r::name);
            }
        }
    }

    @Test
    @DisplayName("a viewer token reads its account's balance, lots, credits log, usage and subscription: nothing else")
    void viewerTokensReadTheUsagePage() {
        List<String> viewable = Routes.ALL.stream().filter(Routes.Route::viewer).map(Routes.Route::name).sorted()
                .toList();
        assertEquals(List.of("GET /v1/accounts/{id}/balance", "GET /v1/accounts/{id}/credits-log",
                "GET /v1/accounts/{id}/lots", "GET /v1/accounts/{id}/subscription", "GET /v1/accounts/{id}/usage",
                "GET /v1/accounts/{id}/usage-decisions"), viewable);
    }

    @Test
    @DisplayName("every route is under /v1, declared once")
    void underV1Once() {
        assertFalse(Routes.ALL.isEmpty());
        assertEquals(Routes.ALL.size(), Routes.ALL.stream().map(Routes.Route::name).distinct().count());
        Routes.ALL.forEach(r -> assertTrue(r.path().startsWith("/v1/") || r.path().equals("/v1"), r::name));
    }

    @Test
    @DisplayName("Security tries the most specific pattern first, as Spring MVC chooses a handler")
    void specificFirst() {
        Routes.Route literal = new Routes.Route(HttpMethod.POST, "/v1/usage/batch", Set.of(Role.ADMIN), false);
        Routes.Route pattern = new Routes.Route(HttpMethod.POST, "/v1/usage/{x}", Set.of(Role.SERVICE), false);
        assertEquals(List.of(literal, pattern), Security.bySpecificity(List.of(pattern, literal)));
    }
}

package dev.creditspolicy.api;

import static dev.creditspolicy.access.Role.ADMIN;
import static dev.creditspolicy.access.Role.ANALYST;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.springframework.http.HttpMethod;

import dev.creditspolicy.access.Role;
import dev.creditspolicy.requests.Endpoint;
import dev.creditspolicy.requests.Kinds;

/**
 * Every route the API serves under {@code /v1} and who may call it (SPEC section 8): the request kinds' routes as
 * each kind declares it (requests/Endpoint), and the others' lines here; each route declared once. {@link Security}
 * authorizes from this table alone: a {@code /v1} request no line matches answers 403
 * to every key (401 without one), never "any key". {@link RouteCheck} refuses to start the service when a handler
 * Spring serves under {@code /v1} has no line here, or a line no handler. A GET route answers HEAD alike (Spring MVC
 * serves HEAD from the GET handler).
 */
final class Routes {
    private Routes() {
    }

    /**
     * One route: its method, its path pattern exactly as its controller maps it, the roles that may call it, and
     * whether a viewer token of the account the path names ({@code {id}}) may call it too.
     */
    record Route(HttpMethod method, String path, Set<Role> roles, boolean viewer) {
        Route {
            roles = Set.copyOf(roles);
            if (viewer && !path.startsWith("/v1/accounts/{id}/")) {
                throw new IllegalArgumentException(this + ": a viewer token reads only its account's {id}");
            }
        }

        /** {@code POST /v1/usage}: how the start-up check and the tests name a route. */
        String name() {
            return method.name() + " " + path;
        }
    }

    private static final Set<Role> CALLERS = Endpoint.CALLERS;
    private static final Set<Role> OPERATORS = Endpoint.OPERATORS;
    private static final Set<Role> ANALYSTS = EnumSet.of(ANALYST, ADMIN);
    private static final Set<Role> ADMINS = EnumSet.of(ADMIN);

    /** The routes that are no request kind's (a kind declares its own: {@link Endpoint}). */
    private static final List<Route> OTHERS = List.of(
            // batches (SPEC section 10) and a stored decision
            post(BatchBodies.USAGE, CALLERS),
            post(BatchBodies.EVALUATE, CALLERS),
            get("/v1/usage/{requestId}", CALLERS),
            // accounts
            post("/v1/accounts/{id}/viewer-tokens", OPERATORS),
            get("/v1/accounts/{id}", CALLERS),
            get("/v1/accounts/{id}/plan-changes", CALLERS),
            get("/v1/accounts/{id}/events", CALLERS),
            viewable("/v1/accounts/{id}/usage"),
            viewable("/v1/accounts/{id}/usage-decisions"),
            viewable("/v1/accounts/{id}/subscription"),
            // rules
            get("/v1/rules", ANALYSTS),
            get("/v1/rules/history", ANALYSTS),
            post("/v1/rules/reload", ANALYSTS),
            // keys, the audit, webhooks
            post("/v1/keys", ADMINS),
            get("/v1/keys", ADMINS),
            delete("/v1/keys/{name}", ADMINS),
            delete("/v1/keys", ADMINS),
            get("/v1/audit", ADMINS),
            post("/v1/webhooks", ADMINS),
            get("/v1/webhooks", ADMINS),
            get("/v1/webhooks/{id}", ADMINS),
            delete("/v1/webhooks/{id}", ADMINS),
            get("/v1/webhooks/{id}/deliveries", ADMINS),
            post("/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", ADMINS));

    /** Every route: each request kind's, as its {@link Endpoint} declares it, then the others. */
    static final List<Route> ALL = Stream.concat(Kinds.served().stream().map(k -> k.endpoint())
            .map(e -> new Route(e.method(), e.path(), e.roles(), e.viewer())), OTHERS.stream()).toList();

    /** The declaration of a route by its name ({@code GET /v1/rules}), or null. */
    static Route named(String name) {
        return ALL.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    private static Route get(String path, Set<Role> roles) {
        return new Route(HttpMethod.GET, path, roles, false);
    }

    private static Route post(String path, Set<Role> roles) {
        return new Route(HttpMethod.POST, path, roles, false);
    }

    private static Route delete(String path, Set<Role> roles) {
        return new Route(HttpMethod.DELETE, path, roles, false);
    }

    /** An account read the callers may make, and a viewer token of that very account. */
    private static Route viewable(String path) {
        return new Route(HttpMethod.GET, path, CALLERS, true);
    }
}

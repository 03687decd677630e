package dev.creditspolicy.requests;

import static dev.creditspolicy.access.Role.ADMIN;
import static dev.creditspolicy.access.Role.OPERATOR;
import static dev.creditspolicy.access.Role.SERVICE;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.HttpMethod;

import dev.creditspolicy.access.Role;
import dev.creditspolicy.service.ProblemType;

/**
 * A request kind's whole HTTP surface, declared with the kind ({@link RequestKind#endpoint()}): its route and the
 * roles that may call it, how it answers, and how the OpenAPI document states it. api/KindEndpoints serves every
 * declaration with one handler, api/Routes authorizes from them, api/KindOperations documents them.
 *
 * @param method   the HTTP method
 * @param path     the path pattern, {@code /v1/accounts/{id}/cycles}: its one variable is the id the kind's
 *                 {@code parse} takes (the void's two: {@link RequestKind#fromHttp})
 * @param roles    who may call it (see access/Role)
 * @param viewer   whether a viewer token of the account {@code {id}} names may call it too
 * @param location for a 201, where what it created is: a template whose variables are the answer's fields
 *                 ({@code /v1/accounts/{accountId}/lots/{lotId}}); null answers 200
 * @param body     the body's schema record (fields, types and bounds its parser accepts, checked by
 *                 BodySchemasTest); null for a call without a body
 * @param query    the query parameters: for a read, what its {@code parse} reads; {@code explain} asks the answer to
 *                 explain itself
 * @param refuses  the problems particular to it (those any call meets are documented for every call)
 * @param audit    the audit action a change is recorded under, or null (reads are not audited)
 * @param target   the audit entry's target: a template whose variables are the command's fields
 * @param operationId the OpenAPI operation id (the generated clients' method name: never change it)
 * @param summary  the OpenAPI summary
 * @param tag      the OpenAPI tag
 */
public record Endpoint(HttpMethod method, String path, Set<Role> roles, boolean viewer, String location,
                       Class<?> body, List<String> query, List<ProblemType> refuses, String audit, String target,
                       String operationId, String summary, String tag) {
    /** Services, and the roles that may do everything a service may. */
    public static final Set<Role> CALLERS = Set.copyOf(EnumSet.of(SERVICE, OPERATOR, ADMIN));
    /** Who changes accounts and reverses charges. */
    public static final Set<Role> OPERATORS = Set.copyOf(EnumSet.of(OPERATOR, ADMIN));
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z]+)}");

    public Endpoint {
        roles = Set.copyOf(roles);
        query = List.copyOf(query);
        refuses = List.copyOf(refuses);
        if (body != null && query.stream().anyMatch(q -> !q.equals("explain"))) {
            throw new IllegalArgumentException(path + ": a call with a body reads its fields there, not in the query");
        }
    }

    /** A call that changes something, with its body's schema record. */
    static Endpoint post(String path, Set<Role> roles, Class<?> body, String operationId, String tag,
                         String summary) {
        return new Endpoint(HttpMethod.POST, path, roles, false, null, body, List.of(), List.of(), null, null,
                operationId, summary, tag);
    }

    /** A read, with the query parameters its parser reads. */
    static Endpoint get(String path, Set<Role> roles, String operationId, String tag, String summary,
                        String... query) {
        return new Endpoint(HttpMethod.GET, path, roles, false, null, null, List.of(query), List.of(), null, null,
                operationId, summary, tag);
    }

    /** An account read the callers may make, and a viewer token of that very account. */
    static Endpoint viewable(String path, String operationId, String summary, String... query) {
        Endpoint e = get(path, CALLERS, operationId, "accounts", summary, query);
        return new Endpoint(e.method, path, e.roles, true, null, null, e.query, e.refuses, null, null, operationId,
                summary, e.tag);
    }

    /** Answers 201 with {@code Location}: {@code template}, its variables the answer's fields. */
    Endpoint created(String template) {
        return new Endpoint(method, path, roles, viewer, template, body, query, refuses, audit, target, operationId,
                summary, tag);
    }

    /** Recorded in the audit trail as {@code action} on {@code target} (its variables the command's fields). */
    Endpoint audited(String action, String target) {
        return new Endpoint(method, path, roles, viewer, location, body, query, refuses, action, target,
                operationId, summary, tag);
    }

    /** The problems particular to this call. */
    Endpoint refuses(ProblemType... types) {
        return new Endpoint(method, path, roles, viewer, location, body, query, Arrays.asList(types), audit, target,
                operationId, summary, tag);
    }

    /** Query parameters besides a body's ({@code explain}). */
    Endpoint query(String... names) {
        return new Endpoint(method, path, roles, viewer, location, body, List.of(names), refuses, audit, target,
                operationId, summary, tag);
    }

    /** The success status: 201 for a create, else 200. */
    public int status() {
        return location == null ? 200 : 201;
    }

    /** {@code POST /v1/usage}: how the start-up check and the tests name a route. */
    public String name() {
        return method.name() + " " + path;
    }

    /** The variables of the path, in order ({@code id}, {@code lotId}). */
    public List<String> pathVariables() {
        return variables(path);
    }

    /** The variables of a template, in order. */
    public static List<String> variables(String template) {
        Matcher m = VARIABLE.matcher(template);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}

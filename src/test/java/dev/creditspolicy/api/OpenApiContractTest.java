package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.api.contract.ProblemResponses;
import dev.creditspolicy.service.ProblemType;

/**
 * The OpenAPI document served at {@code /v3/api-docs} is a contract clients can be generated from: every served
 * route is in it; every body is a typed schema (never Jackson's JsonNode) and every answer typed; every operation
 * lists its problems, all of them the one {@code Problem} schema whose {@code type} enumerates the declared slugs;
 * the creates document (and answer) 201 with {@code Location}. src/main/resources/openapi/credits-policy.json, which
 * the build generates the tests' Java client from, is that document (update it with
 * {@code -Dcredits.contract.update=true}). BodySchemasTest checks the body schemas against the parsers.
 */
@DisplayName("The OpenAPI document is a typed contract")
class OpenApiContractTest extends ApiTestSupport {
    static final Path COMMITTED = Path.of("src/main/resources/openapi/credits-policy.json");
    /** The operations that create something addressable and answer 201 (the viewer token: no Location). */
    static final Set<String> CREATES = Set.of("POST /v1/accounts", "POST /v1/accounts/{id}/cycles",
            "POST /v1/accounts/{id}/lots", "POST /v1/accounts/{id}/plan-changes",
            "POST /v1/accounts/{id}/viewer-tokens", "POST /v1/keys", "POST /v1/webhooks");
    static final String NO_LOCATION = "POST /v1/accounts/{id}/viewer-tokens";
    private static final Set<String> UNTYPED = Set.of("JsonNode", "ObjectNode", "ProblemDetail", "Record", "Object");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    JsonNode document() {
        return get("/v3/api-docs", null).expect(200).json();
    }

    /** Each served /v1 route, "METHOD /path", with its handler. */
    Map<String, HandlerMethod> served() {
        Map<String, HandlerMethod> served = new TreeMap<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            for (String pattern : info.getPatternValues()) {
                if (pattern.startsWith("/v1/")) {
                    info.getMethodsCondition().getMethods().forEach(m -> served.put(m.name() + " " + pattern, method));
                }
            }
        });
        return served;
    }

    static Map<String, JsonNode> operations(JsonNode doc) {
        Map<String, JsonNode> ops = new TreeMap<>();
        for (var path : doc.get("paths").properties()) {
            for (var op : path.getValue().properties()) {
                ops.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
            }
        }
        return ops;
    }

    @Test
    @DisplayName("every served route is documented, and nothing else; with its own operation id")
    void everyRouteIsDocumented() {
        JsonNode doc = document();
        Set<String> served = served().keySet();
        assertTrue(served.size() >= 30, served::toString);
        assertEquals(new TreeSet<>(served), new TreeSet<>(operations(doc).keySet()));
        Set<String> ids = new HashSet<>();
        operations(doc).forEach((route, op) -> {
            String id = op.path("operationId").asString("");
            assertTrue(id.matches("[a-z][A-Za-z]+"), () -> route + " has operation id '" + id + "'");
            assertTrue(ids.add(id), () -> "operation id " + id + " twice");
        });
        assertEquals("bearer", doc.get("components").get("securitySchemes").get("bearer").get("scheme").asString());
        get("/swagger-ui/index.html", null).expect(200);
    }

    @Test
    @DisplayName("every body a route reads is a typed schema, closed to unknown fields; every answer is typed")
    void everyBodyAndAnswerIsTyped() {
        JsonNode doc = document();
        JsonNode schemas = doc.get("components").get("schemas");
        for (String name : UNTYPED) {
            assertFalse(schemas.has(name), () -> "the document has a schema " + name);
        }
        assertFalse(doc.toString().contains("\"*/*\""), "an answer of no media type");
        Map<String, JsonNode> ops = operations(doc);
        served().forEach((route, handler) -> {
            JsonNode op = ops.get(route);
            if (readsBody(handler.getMethod())) {
                JsonNode body = op.path("requestBody").path("content").path("application/json").path("schema");
                String ref = body.path("$ref").asString("");
                assertTrue(ref.endsWith("Body"), () -> route + " documents its body as " + body);
                JsonNode schema = schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
                assertEquals("object", schema.path("type").asString(), route);
                assertFalse(schema.path("additionalProperties").asBoolean(true), () -> route + ": " + schema);
                assertFalse(schema.path("properties").isEmpty(), route);
            } else {
                assertTrue(op.path("requestBody").isMissingNode(), () -> route + " reads no body but documents one");
            }
            List<String> successes = new ArrayList<>();
            op.get("responses").propertyNames().forEach(code -> {
                if (code.startsWith("2")) {
                    successes.add(code);
                }
            });
            assertEquals(1, successes.size(), () -> route + " answers " + successes);
            JsonNode answer = op.get("responses").get(successes.get(0)).path("content").path("application/json")
                    .path("schema");
            JsonNode typed = answer.path("type").asString("").equals("array") ? answer.get("items") : answer;
            assertTrue(typed.has("$ref") || typed.has("oneOf"), () -> route + " answers " + answer);
        });
    }

    /** Reads a JSON body: bound with @RequestBody, or read from the request itself (the batch routes). */
    static boolean readsBody(Method method) {
        return Arrays.stream(method.getParameters()).anyMatch(p -> p.isAnnotationPresent(RequestBody.class)
                || HttpServletRequest.class.isAssignableFrom(p.getType()));
    }

    @Test
    @DisplayName("every operation lists its problems, as the one Problem schema whose type is every declared slug")
    void everyOperationListsItsProblems() {
        JsonNode doc = document();
        JsonNode problem = doc.get("components").get("schemas").get(ProblemResponses.SCHEMA);
        List<String> types = new ArrayList<>();
        problem.get("properties").get("type").get("enum").forEach(t -> types.add(t.asString()));
        assertEquals(Arrays.stream(ProblemType.values()).map(t -> ProblemHandler.TYPE_BASE + t.slug()).toList(),
                types);
        assertEquals(Set.of("type", "title", "status"), Set.copyOf(JSON.convertValue(problem.get("required"),
                List.class)));
        operations(doc).forEach((route, op) -> {
            JsonNode responses = op.get("responses");
            Set<Integer> always = new TreeSet<>(List.of(400, 401, 403, 406, 429, 500, 503));
            if (op.has("requestBody")) {
                always.addAll(List.of(408, 413, 415));
            }
            for (int status : always) {
                assertTrue(responses.has(String.valueOf(status)), () -> route + " lists no " + status);
            }
            responses.properties().forEach(r -> {
                int status = Integer.parseInt(r.getKey());
                if (status < 400) {
                    return;
                }
                String ref = r.getValue().path("$ref").asString("");
                assertTrue(ref.startsWith("#/components/responses/"), () -> route + " " + status + ": " + ref);
                JsonNode response = doc.get("components").get("responses").get(ref.substring(ref.lastIndexOf('/')
                        + 1));
                JsonNode media = response.path("content").path(ProblemResponses.MEDIA_TYPE);
                assertEquals("#/components/schemas/" + ProblemResponses.SCHEMA, media.path("schema").path("$ref")
                        .asString(), () -> route + " " + status);
                assertFalse(media.path("examples").isEmpty(), () -> route + " " + status + " has no example");
                media.get("examples").properties().forEach(e -> {
                    ProblemType t = ProblemType.of(e.getKey()).orElseThrow();
                    assertEquals(status, t.status(), () -> route + ": " + e.getKey());
                    assertTrue(types.contains(e.getValue().get("value").get("type").asString()));
                    assertTrue(response.get("description").asString().contains("`" + t.slug() + "`"));
                });
            });
        });
    }

    @Test
    @DisplayName("the creates document 201 with Location, and answer so")
    void createsAnswer201WithLocation() {
        Map<String, JsonNode> ops = operations(document());
        Set<String> documented = new TreeSet<>();
        ops.forEach((route, op) -> {
            if (op.get("responses").has("201")) {
                documented.add(route);
                assertFalse(op.get("responses").has("200"), route);
                assertEquals(!route.equals(NO_LOCATION), op.get("responses").get("201").path("headers")
                        .has("Location"), () -> route + ": " + op.get("responses").get("201"));
            }
        });
        assertEquals(new TreeSet<>(CREATES), documented);

        String account = newId("created");
        Map<String, Reply> answers = new TreeMap<>();
        answers.put("POST /v1/accounts", post("/v1/accounts", json("{'accountId': '" + account + "', 'realm': "
                + "'QODER', 'plan': 'PERSONAL_COMMUNITY', 'at': '" + JUL_01 + "'}")));
        String at = "/v1/accounts/" + account;
        answers.put("POST /v1/accounts/{id}/cycles", post(at + "/cycles", json("{'plan': 'PERSONAL_COMMUNITY', "
                + "'start': '" + JUL_01 + "', 'end': '" + AUG_01 + "', 'credits': 10, 'lotId': 'c1'}")));
        answers.put("POST /v1/accounts/{id}/lots", post(at + "/lots", json("{'source': 'PROMOTION', 'amount': 5, "
                + "'effectiveAt': '" + JUL_01 + "', 'expiresAt': '" + AUG_01 + "', 'reason': 'welcome'}")));
        answers.put("POST /v1/accounts/{id}/plan-changes", post(at + "/plan-changes", json("{'toPlan': "
                + "'PERSONAL_PRO', 'at': '" + JUL_02 + "', 'kind': 'UPGRADE'}")));
        answers.put("POST /v1/accounts/{id}/viewer-tokens", post(at + "/viewer-tokens", "{}"));
        String key = newId("k");
        answers.put("POST /v1/keys", post("/v1/keys", json("{'name': '" + key + "', 'roles': ['service'], "
                + "'realms': ['QODER']}")));
        // a loopback address nothing listens on (deliveries fail at once), and deleted right away
        Reply webhook = post("/v1/webhooks", json("{'url': 'http://127.0.0.1:9/contract', 'eventTypes': "
                + "['balance.low'], 'realms': ['QODER']}"));
        answers.put("POST /v1/webhooks", webhook);
        call("DELETE", webhook.header("Location"), null, ADMIN).expect(200);
        assertEquals(CREATES, answers.keySet());
        answers.forEach((route, reply) -> {
            reply.expect(201);
            String location = reply.header("Location");
            assertEquals(!route.equals(NO_LOCATION), location != null, () -> route + " Location " + location);
            if (location != null) {
                assertTrue(location.startsWith("/v1/"), location);
            }
        });
        assertEquals(at, answers.get("POST /v1/accounts").header("Location"));
        assertEquals(at + "/lots/c1", answers.get("POST /v1/accounts/{id}/cycles").header("Location"));
        Reply grant = answers.get("POST /v1/accounts/{id}/lots");
        assertEquals(at + "/lots/" + grant.json().get("lotId").asString(), grant.header("Location"));
        assertEquals(at + "/plan-changes", answers.get("POST /v1/accounts/{id}/plan-changes").header("Location"));
        // a retry answers the same, Location too, marked as replayed
        Reply retry = post(at + "/cycles", json("{'plan': 'PERSONAL_COMMUNITY', 'start': '" + JUL_01 + "', 'end': '"
                + AUG_01 + "', 'credits': 10, 'lotId': 'c1'}")).expect(201);
        assertEquals(at + "/lots/c1", retry.header("Location"));
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals("false", answers.get("POST /v1/accounts/{id}/cycles").header("Idempotent-Replayed"));
        assertEquals("/v1/keys/" + key, answers.get("POST /v1/keys").header("Location"));
    }

    @Test
    @DisplayName("the committed document, the client's source, is the served one")
    void theCommittedDocumentIsTheServedOne() throws IOException {
        String served = canonical(document());
        if (Boolean.getBoolean("credits.contract.update")) {
            Files.writeString(COMMITTED, served);
        }
        assertEquals(Files.exists(COMMITTED) ? Files.readString(COMMITTED) : "", served, "the served OpenAPI "
                + "document differs from " + COMMITTED + ": run this test with -Dcredits.contract.update=true, "
                + "review the diff and commit it");
    }

    /** Keys sorted at every level, two-space indents, one newline at the end: a stable, reviewable text. */
    static String canonical(JsonNode doc) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectNameValueSpacing(Separators.Spacing.AFTER));
        return JSON.writer().with(printer).writeValueAsString(sorted(doc)) + "\n";
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            new TreeSet<>(node.propertyNames()).forEach(name -> out.set(name, sorted(node.get(name))));
            return out;
        }
        if (node.isArray()) {
            var out = JSON.createArrayNode();
            node.forEach(item -> out.add(sorted(item)));
            return out;
        }
        return node;
    }
}

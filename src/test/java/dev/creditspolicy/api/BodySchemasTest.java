package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.webhooks.WebhookRequest;

/**
 * Each body schema of the OpenAPI document says what its parser accepts, checked against the parser itself (the
 * controllers parse every body by hand; the schemas are documentation, so nothing else keeps them honest): the
 * same field names (an unknown one is refused), the required ones, every enum value accepted and no other, and each
 * bound (length, pattern, minimum, maximum, decimals, items) accepted at the bound and refused past it. Every
 * schema's example is a valid request. {@code credits} and the token counts are required one or the other, which a
 * schema cannot say: they are never listed as required, and the descriptions say so.
 */
@DisplayName("The body schemas say what the parsers accept")
class BodySchemasTest extends ApiTestSupport {
    private static final Set<String> COST = Set.of("credits", "inputTokens", "cachedInputTokens", "outputTokens");
    private static final String TOKENS = "'inputTokens': 1200, 'cachedInputTokens': 200, 'outputTokens': 300";

    /** A body schema, its parser, and examples that together hold every field (with the schema's own example). */
    record Body(String schema, Function<JsonNode, Object> parser, boolean listsAllowed, String... examples) {
        @Override
        public String toString() {
            return schema;
        }
    }

    static final List<Body> BODIES = List.of(
            new Body("AccountBody", b -> Kinds.ACCOUNT.parse(null, b), true),
            new Body("CycleBody", b -> Kinds.CYCLE.parse("a", b), true),
            new Body("GrantBody", b -> Kinds.GRANT.parse("a", b), true, "{'source': 'PROMOTION', 'amount': 5, "
                    + "'effectiveAt': '" + JUL_01 + "', 'expiresAt': '" + AUG_01 + "', 'reason': 'r', "
                    + "'originProduct': 'IDE'}"),
            new Body("PlanChangeBody", b -> Kinds.PLAN_CHANGE.parse("a", b), true, "{'toPlan': 'PERSONAL_PRO', "
                    + "'at': '" + JUL_01 + "', 'kind': 'UPGRADE'}"),
            new Body("VoidBody", b -> Kinds.VOID.fromHttp(Map.of("id", "a", "lotId", "l"), b), true, "{'at': '" + JUL_01 + "', 'reason': 'r'}"),
            new Body("ViewerTokenBody", AccountsController::viewerTokenSeconds, true, "{'ttlSeconds': 60}"),
            new Body("UsageBody", b -> Kinds.USAGE.parse(null, b), true, "{'requestId': 'r', 'accountId': 'a', "
                    + "'realm': 'QODER', 'product': 'IDE', 'feature': 'EDITOR_ASK', 'model': 'm', 'outcome': "
                    + "'FAILED', " + TOKENS + ", 'occurredAt': '" + JUL_01 + "'}"),
            new Body("EvaluateBody", b -> Kinds.EVALUATE.parse(null, b), true, "{'accountId': 'a', 'realm': "
                    + "'QODER', 'product': 'IDE', 'feature': 'EDITOR_ASK', 'model': 'm', 'outcome': 'FAILED', "
                    + TOKENS + ", 'occurredAt': '" + JUL_01 + "'}"),
            new Body("HoldBody", b -> Kinds.HOLD.parse(null, b), true, "{'holdId': 'h', 'accountId': 'a', 'realm': "
                    + "'QODER', 'product': 'IDE', 'feature': 'EDITOR_ASK', 'model': 'm', " + TOKENS + ", "
                    + "'occurredAt': '" + JUL_01 + "'}"),
            new Body("CommitBody", b -> Kinds.COMMIT.parse("h", b), true, "{'outcome': 'SUCCEEDED', " + TOKENS
                    + ", 'occurredAt': '" + JUL_01 + "'}"),
            new Body("ReleaseBody", b -> Kinds.RELEASE.parse("h", b), true, "{'occurredAt': '" + JUL_01 + "'}"),
            new Body("ReversalBody", b -> Kinds.REVERSAL.parse("r", b), true, "{'at': '" + JUL_01 + "', "
                    + "'reason': 'r'}"),
            new Body("KeyBody", KeysController.KeyRequest::parse, true, "{'name': 'k', 'roles': ['service'], "
                    + "'realms': ['QODER']}"),
            new Body("WebhookBody", b -> WebhookRequest.parse(b, List.of()), false, "{'url': "
                    + "'https://hooks.example.com/x', 'eventTypes': ['balance.low'], 'realms': ['QODER'], "
                    + "'description': 'd'}"));

    @TestFactory
    @DisplayName("field by field")
    Stream<DynamicTest> everyBodySchemaSaysWhatItsParserAccepts() {
        JsonNode schemas = get("/v3/api-docs", null).expect(200).json().get("components").get("schemas");
        return BODIES.stream().map(body -> DynamicTest.dynamicTest(body.schema(), () -> check(body, schemas)));
    }

    @Test
    @DisplayName("the main bodies come with an example, and every body schema of the document is checked")
    void examples() {
        JsonNode doc = get("/v3/api-docs", null).expect(200).json();
        JsonNode schemas = doc.get("components").get("schemas");
        for (String name : List.of("UsageBody", "HoldBody", "CommitBody", "AccountBody", "GrantBody", "CycleBody")) {
            assertTrue(schemas.get(name).get("example").isObject(), name);
        }
        Set<String> bodies = new TreeSet<>();
        schemas.propertyNames().forEach(n -> {
            if (n.endsWith("Body") && !n.endsWith("BatchBody")) {
                bodies.add(n);
            }
        });
        assertEquals(bodies, new TreeSet<>(BODIES.stream().map(Body::schema).toList()));
        for (String batch : List.of("UsageBatchBody", "EvaluateBatchBody")) {
            JsonNode events = schemas.get(batch).get("properties").get("events");
            assertEquals(1, events.get("minItems").asInt());
            assertEquals(BatchBodies.MAX_EVENTS, events.get("maxItems").asInt(), batch);
            assertEquals("#/components/schemas/" + batch.replace("Batch", ""), events.get("items").get("$ref")
                    .asString());
        }
    }

    private static void check(Body body, JsonNode schemas) {
        JsonNode schema = schemas.get(body.schema());
        JsonNode properties = schema.get("properties");
        Set<String> names = new TreeSet<>(properties.propertyNames());
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        assertFalse(schema.get("additionalProperties").asBoolean(true), "open to unknown fields");

        List<ObjectNode> examples = new ArrayList<>();
        if (schema.has("example")) {
            examples.add((ObjectNode) schema.get("example"));
        }
        Arrays.stream(body.examples()).map(e -> (ObjectNode) JSON.readTree(json(e))).forEach(examples::add);
        Set<String> covered = new TreeSet<>();
        examples.forEach(e -> {
            accepted(body, e);
            covered.addAll(e.propertyNames());
        });
        assertEquals(names, covered, "the examples hold every field");

        ObjectNode unknown = examples.get(0).deepCopy().put("zzUnknown", 1);
        Problem p = refused(body, unknown);
        if (body.listsAllowed()) {
            String allowed = p.getMessage().substring(p.getMessage().indexOf("allowed: ") + 9);
            assertEquals(names, new TreeSet<>(List.of(allowed.split(", "))), "the parser's allow-list");
        }
        for (String name : names) {
            ObjectNode example = examples.stream().filter(e -> e.has(name)).findFirst().orElseThrow();
            ObjectNode without = example.deepCopy();
            without.remove(name);
            if (names.contains("inputTokens") && COST.contains(name)) {
                assertFalse(required.contains(name), name + " is required one way or the other, never alone");
                assertTrue(properties.get(name).has("description"), name + " says when it is needed");
            } else if (required.contains(name)) {
                assertEquals(name, refused(body, without).field(), name + " is required");
            } else {
                accepted(body, without);
            }
            bounds(body, example, name, resolve(properties.get(name), schemas), schemas);
        }
    }

    private static JsonNode resolve(JsonNode schema, JsonNode schemas) {
        String ref = schema.path("$ref").asString("");
        return ref.isEmpty() ? schema : schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
    }

    /** The field's enum, lengths, pattern, range, decimals and items, each at its bound and past it. */
    private static void bounds(Body body, ObjectNode example, String name, JsonNode field, JsonNode schemas) {
        String type = field.path("type").asString("");
        if (field.has("enum")) {
            field.get("enum").forEach(v -> accepted(body, with(example, name, v)));
            refused(body, with(example, name, JSON.getNodeFactory().stringNode("NOT_A_VALUE")));
        } else if (type.equals("string") && !field.has("format")) {
            int max = field.get("maxLength").asInt();
            accepted(body, with(example, name, text("a".repeat(max))));
            refused(body, with(example, name, text("a".repeat(max + 1))));
            if (field.path("minLength").asInt(0) >= 1) {
                refused(body, with(example, name, text("")));
            } else {
                accepted(body, with(example, name, text("")));
            }
            if (field.has("pattern")) {
                for (String candidate : List.of("a", "A.b_c:d@e-f9", ".a", "a/b", "a b", "a%20", "\u00e9", "-a")) {
                    boolean matches = candidate.matches(field.get("pattern").asString());
                    ObjectNode b = with(example, name, text(candidate));
                    if (matches) {
                        accepted(body, b);
                    } else {
                        refused(body, b);
                    }
                }
            }
        } else if (type.equals("integer")) {
            long min = field.get("minimum").asLong();
            long max = field.get("maximum").asLong();
            accepted(body, example.deepCopy().put(name, min));
            accepted(body, example.deepCopy().put(name, max));
            refused(body, example.deepCopy().put(name, min - 1));
            refused(body, example.deepCopy().put(name, max + 1));
        } else if (type.equals("number")) {
            BigDecimal step = field.get("multipleOf").decimalValue();
            BigDecimal min = field.get("minimum").decimalValue();
            BigDecimal max = field.get("maximum").decimalValue();
            boolean exclusive = field.path("exclusiveMinimum").asBoolean(false);
            accepted(body, example.deepCopy().put(name, exclusive ? min.add(step) : min));
            refused(body, example.deepCopy().put(name, exclusive ? min : min.subtract(step)));
            accepted(body, example.deepCopy().put(name, max));
            refused(body, example.deepCopy().put(name, max.add(step)));
            accepted(body, example.deepCopy().put(name, BigDecimal.ONE.add(step)));
            refused(body, example.deepCopy().put(name, BigDecimal.ONE.add(step.movePointLeft(1))));
        } else if (type.equals("array")) {
            JsonNode item = example.get(name).get(0);
            accepted(body, with(example, name, items(item, field.get("maxItems").asInt())));
            refused(body, with(example, name, items(item, field.get("maxItems").asInt() + 1)));
            refused(body, with(example, name, items(item, field.get("minItems").asInt() - 1)));
            JsonNode values = resolve(field.get("items"), schemas).path("enum");
            values.forEach(v -> accepted(body, with(example, name, items(v, 1))));
            if (!values.isMissingNode()) {
                refused(body, with(example, name, items(text("NOT_A_VALUE"), 1)));
            }
        }
    }

    private static JsonNode text(String s) {
        return JSON.getNodeFactory().stringNode(s);
    }

    private static ArrayNode items(JsonNode item, int n) {
        ArrayNode a = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            a.add(item);
        }
        return a;
    }

    private static ObjectNode with(ObjectNode example, String name, JsonNode value) {
        ObjectNode b = example.deepCopy();
        b.set(name, value);
        return b;
    }

    private static void accepted(Body body, JsonNode b) {
        try {
            body.parser().apply(b);
        } catch (Problem p) {
            fail(body + " refuses " + b + ": " + p.getMessage());
        }
    }

    private static Problem refused(Body body, JsonNode b) {
        try {
            body.parser().apply(b);
        } catch (Problem p) {
            assertEquals("validation-failed", p.slug(), () -> body + " " + b + ": " + p.getMessage());
            return p;
        }
        return fail(body + " accepts " + b);
    }
}

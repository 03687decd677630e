package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** {@code /v3/api-docs}: reachable without a key, lists every endpoint the controllers serve, the bearer scheme. */
class OpenApiDocumentTest extends ApiTestSupport {
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void theDocumentListsEveryEndpointAndTheBearerScheme() {
        Reply doc = get("/v3/api-docs", null).expect(200);
        Set<String> documented = new TreeSet<>();
        for (var path : doc.get("paths").properties()) {
            for (var op : path.getValue().properties()) {
                documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }
        Set<String> served = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (method.getBeanType().getPackageName().equals("dev.creditspolicy.api")) {
                for (String pattern : info.getPatternValues()) {
                    info.getMethodsCondition().getMethods().forEach(m -> served.add(m.name() + " " + pattern));
                }
            }
        });
        assertTrue(served.size() >= 20, served.toString());
        assertTrue(documented.containsAll(served), () -> "not documented: " + diff(served, documented));
        for (String batch : Set.of(BatchBodies.USAGE, BatchBodies.EVALUATE)) {
            // the batch routes read their body themselves: the document still says what it holds and answers
            JsonNode op = doc.get("paths").get(batch).get("post");
            String ref = op.get("requestBody").get("content").get("application/json").get("schema").get("$ref")
                    .asString();
            JsonNode schema = doc.get("components").get("schemas").get(ref.substring(ref.lastIndexOf('/') + 1));
            assertEquals(1000, schema.get("properties").get("events").get("maxItems").asInt(), schema::toString);
            assertTrue(op.get("responses").get("200").toString().contains("BatchAnswer"), op::toString);
        }
        JsonNode bearer = doc.get("components").get("securitySchemes").get("bearer");
        assertEquals("bearer", bearer.get("scheme").asString());
        String description = doc.get("info").get("description").asString();
        for (String slug : ProblemTypes.all().keySet()) {
            assertTrue(description.contains("`" + slug + "`"), slug);
        }
        get("/swagger-ui/index.html", null).expect(200);
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}

package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.ProblemType;
import dev.creditspolicy.store.Store;

/**
 * The problem types are declared once (service/ProblemType: slug, status, title); the HTTP answers, the Kafka
 * decisions (api/ProblemBodies), the OpenAPI document and the slug table of docs/http-api.md all say what it says.
 */
@DisplayName("Problem types, declared once")
class ProblemTypeTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"validation-failed, 400", "unknown-account, 404", "not-found, 404", "account-exists, 409",
            "idempotency-conflict, 409", "realm-mismatch, 422", "addon-not-allowed, 422", "rules-invalid, 422",
            "credits-limit-exceeded, 422", "not-acceptable, 406", "unsupported-media-type, 415",
            "payload-too-large, 413", "method-not-allowed, 405", "last-admin, 409", "busy, 503",
            "rules-timeout, 503", "internal-error, 500", "a-refusal-a-rule-names, 422"})
    void statusOfSlug(String slug, int status) {
        assertEquals(status, ProblemType.statusOf(slug));
    }

    @ParameterizedTest(name = "a bare {0} is {1}")
    @CsvSource({"400, validation-failed", "401, unauthenticated", "403, forbidden", "404, not-found",
            "405, method-not-allowed", "413, payload-too-large", "429, rate-limited", "500, internal-error",
            "503, busy", "418, http-418"})
    void slugOfABareStatus(int status, String slug) {
        assertEquals(slug, ProblemType.slugOfStatus(status));
    }

    @Test
    @DisplayName("a refusal answers its type's declared status and title, over HTTP and on the decisions topic alike")
    void oneBodyOverHttpAndKafka() {
        assertEquals("Invalid request", new Problem("validation-failed", "Something else", "d", null, null).title());
        assertEquals("Its own", new Problem("a-rule-slug", "Its own", "d", null, null).title());
        Map<String, Object> body = ProblemBodies.of(Problem.unknownAccount("x"));
        assertEquals(Map.of("type", ProblemHandler.TYPE_BASE + "unknown-account", "title", "Unknown account",
                "status", 404, "detail", "no account 'x'", "field", "accountId"), body);
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/accounts/x");
        ProblemDetail http = new ProblemHandler().problem(Problem.unknownAccount("x"), request).getBody();
        assertEquals(body.get("type"), http.getType().toString());
        assertEquals(body.get("title"), http.getTitle());
        assertEquals(body.get("status"), http.getStatus());
        assertEquals(body.get("detail"), http.getDetail());
        assertEquals(Map.of("field", "accountId"), http.getProperties());
        assertEquals("/v1/accounts/x", http.getInstance().toString());
    }

    @Test
    @DisplayName("docs/http-api.md lists every slug with its status, and no other")
    void theDocsTableIsTheDeclaration() throws IOException {
        Map<String, Integer> documented = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| `([a-z0-9-]+)` \\| (\\d{3}) \\|");
        for (String line : Files.readAllLines(Path.of("docs/http-api.md"))) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                assertNull(documented.put(m.group(1), Integer.parseInt(m.group(2))), () -> "twice: " + line);
            }
        }
        Map<String, Integer> declared = Arrays.stream(ProblemType.values())
                .collect(Collectors.toMap(ProblemType::slug, ProblemType::status, (a, b) -> a, TreeMap::new));
        assertEquals(declared, documented);
    }

    @Test
    @DisplayName("every slug a rule file refuses with is declared")
    void theRulesRefuseWithDeclaredSlugs() throws IOException {
        Pattern refusal = Pattern.compile("new Refusal\\(\"([^\"]+)\"");
        int found = 0;
        try (Stream<Path> files = Files.list(Path.of("rules"))) {
            for (Path drl : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Matcher m = refusal.matcher(Files.readString(drl));
                while (m.find()) {
                    found++;
                    String slug = m.group(1);
                    assertTrue(ProblemType.of(slug).isPresent(), () -> drl + " refuses with " + slug);
                }
            }
        }
        assertTrue(found > 0, "no Refusal found in rules/: the check checked nothing");
    }

    @Test
    @DisplayName("the store's busy refusal (retries exhausted, on either database) answers 503 busy with Retry-After")
    void busyIs503() throws Exception {
        Store store = new Store(new org.springframework.jdbc.datasource.DriverManagerDataSource(
                "jdbc:h2:mem:busy_" + System.nanoTime()));
        Store.Busy busy = null;
        try {
            store.inTransaction(tx -> {
                throw new IllegalStateException(new SQLException("lock timeout", "55P03"));
            });
        } catch (Store.Busy e) {
            busy = e;
        }
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/usage");

        ResponseEntity<ProblemDetail> answer = new ProblemHandler().busy(busy, request);

        assertEquals(503, answer.getStatusCode().value());
        assertEquals("1", answer.getHeaders().getFirst("Retry-After"));
        assertEquals(MediaType.APPLICATION_PROBLEM_JSON, answer.getHeaders().getContentType());
        assertEquals(ProblemHandler.TYPE_BASE + "busy", answer.getBody().getType().toString());
        assertEquals("Service busy", answer.getBody().getTitle());
    }
}

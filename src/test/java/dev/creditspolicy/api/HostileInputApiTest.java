package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Issue 12: hostile or merely unusual input is refused with a 4xx problem+json before anything is stored, never a
 * 500, never an HTML page, never a huge answer or a forged log line.
 */
@DisplayName("HTTP: hostile input is refused as problem+json and stores nothing")
class HostileInputApiTest extends ApiTestSupport {
    private static final String JUL_05 = "2026-07-05T10:00:00+08:00";
    /** The slugs a refusal may carry: the declared ones (service/ProblemType). */
    static final Set<String> SLUGS = java.util.Arrays.stream(dev.creditspolicy.service.ProblemType.values())
            .map(dev.creditspolicy.service.ProblemType::slug).collect(java.util.stream.Collectors.toSet());

    Reply send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        boolean keyed = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            keyed |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (!keyed) {
            b.header("Authorization", "Bearer " + ADMIN);
        }
        return exchange(b.build());
    }

    static Reply exchange(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.contains("json") && !r.body().isEmpty() ? JSON.readTree(r.body()) : null;
            return new Reply(r.statusCode(), type, r, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int lotCount(String account) {
        return get("/v1/accounts/" + account + "/lots").expect(200).json().size();
    }

    private void assertNoDecision(String requestId) {
        assertProblem(get("/v1/usage/" + requestId), 404, "not-found", "requestId");
    }

    /** A raw answer is problem+json with the status and one of the known slugs. */
    static void assertRawProblem(RawHttp.Answer a, int status, String slug) {
        assertEquals(status, a.status(), a::body);
        assertTrue(a.contentType().startsWith("application/problem+json"), () -> a.contentType() + ": " + a.body());
        JsonNode body = JSON.readTree(a.body());
        assertTrue(body.get("type").asString().endsWith("/" + slug), a::body);
        assertEquals(status, body.get("status").asInt(), a::body);
        assertFalse(body.get("title").asString().isBlank());
    }

    // ---- 1. content negotiation settled before anything is written

    @Test
    @DisplayName("1. usage with Accept: text/html is 406 not-acceptable and stores nothing")
    void acceptWithoutJsonStoresNothing() {
        String id = personalAccountWithPlanCredits("neg");
        String rid = newId("r");
        for (String accept : List.of("text/html", "image/png, text/*", "application/xml", "application/json;q=0",
                "text/html;q=0.9, application/xhtml+xml")) {
            Reply r = send("POST", "/v1/usage", usageBody(rid, id, "CLI", "10", JUL_05),
                    "Content-Type", "application/json", "Accept", accept);
            assertProblem(r, 406, "not-acceptable", null);
        }
        assertNoDecision(rid);
        assertBalance(balance(id, "2026-07-06T00:00:00+08:00"), "100", "100", "0");

        int lots = lotCount(id);
        Reply cycle = send("POST", "/v1/accounts/" + id + "/cycles", json("{'plan': 'PERSONAL_PRO', 'start': '"
                + AUG_01 + "', 'end': '2026-09-01T00:00:00+08:00', 'credits': 100}"), "Content-Type",
                "application/json", "Accept", "text/html");
        assertProblem(cycle, 406, "not-acceptable", null);
        assertEquals(lots, lotCount(id));
    }

    @Test
    @DisplayName("1. Accept that admits JSON (wildcards, problem+json, a malformed-but-json list) still answers")
    void acceptAdmittingJson() {
        String id = personalAccountWithPlanCredits("neg");
        for (String accept : List.of("*/*", "application/*", "application/json", "application/problem+json",
                "text/html, application/json;q=0.1", "application/*+json")) {
            send("POST", "/v1/usage", usageBody(newId("r"), id, "CLI", "1", JUL_05), "Content-Type",
                    "application/json", "Accept", accept).expect(200);
        }
        Reply bad = send("POST", "/v1/usage", usageBody(newId("r"), id, "NOPE", "1", JUL_05), "Content-Type",
                "application/json", "Accept", "application/json");
        assertProblem(bad, 400, "validation-failed", "product");
        assertProblem(send("GET", "/v1/accounts/" + id + "/balance", null, "Accept", "text/html;;;=="), 406,
                "not-acceptable", null);
    }

    // ---- 2. numbers with huge exponents

    @Test
    @DisplayName("2. huge exponents are validation-failed within 2 s, with a short answer")
    void hugeExponents() {
        String id = personalAccountWithPlanCredits("num");
        for (String credits : List.of("1e2147483647", "1e-2147483647", "1e2147483648", "1e999999999",
                "-1e999999999", "1e-999999999", "\"1e999999999\"", "\"1e-2147483647\"", "1E+2147483647",
                "123456789012345678901234567890", "0.00000000000000000000001", "\"" + "9".repeat(5000) + "\"",
                "9".repeat(900) + ".5")) {
            String rid = newId("r");
            long t0 = System.nanoTime();
            Reply r = usage(rid, id, "CLI", credits, JUL_05);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // beyond what BigDecimal holds, the parser refuses it before any field is read
            assertProblem(r, 400, "validation-failed", credits.equals("1e2147483648") ? null : "credits");
            assertTrue(ms < 2000, credits + " took " + ms + " ms");
            assertTrue(r.response().body().length() < 1024, () -> r.response().body().length() + " chars");
            assertNoDecision(rid);
        }
        String rid = newId("r");
        assertProblem(grant(id, id + "-x", "PURCHASE", "1e2147483647", AUG_01), 400, "validation-failed",
                "amount");
        assertNoDecision(rid);
    }

    // ---- 3. query strings

    @Test
    @DisplayName("3. bad escapes in the query and a limit that is not a small integer are validation-failed")
    void badQueryStrings() {
        String id = personalAccountWithPlanCredits("q");
        for (String q : List.of("at=%FF", "at=%zz", "at=%", "at=%C3", "colour%zz=1", "at=2026&x=%E2%82",
                "at=%00", "=1")) {
            RawHttp.Answer a = RawHttp.request(port, "GET", "/v1/accounts/" + id + "/balance?" + q);
            assertRawProblem(a, 400, "validation-failed");
            String field = q.startsWith("colour") ? "colour%zz" : q.contains("x=") ? "x" : q.startsWith("=")
                    ? "query" : "at";
            assertEquals(field, JSON.readTree(a.body()).get("field").asString(), a::body);
        }
        for (String limit : List.of("abc", "1.5", "1e3", "99999999999", "-1", "0", "", "%FF")) {
            assertProblem(get("/v1/rules/history?limit=" + limit), 400, "validation-failed", "limit");
        }
        get("/v1/rules/history?limit=5").expect(200);
        assertProblem(get("/v1/accounts/" + id + "/usage?from=" + "x".repeat(5000)), 400, "validation-failed",
                "from");
    }

    // ---- 4. content types

    @Test
    @DisplayName("4. a body that is not JSON is 415 unsupported-media-type; a 5 MB form is 413 payload-too-large")
    void contentTypes() {
        String id = personalAccountWithPlanCredits("ct");
        String rid = newId("r");
        for (String type : List.of("*/*", "application/*", "text/*", "multipart/form-data", "multipart/mixed",
                "multipart/form-data; boundary=x", "text/plain", "application/x-www-form-urlencoded", "garbage",
                "application/xml", ";;")) {
            Reply r = send("POST", "/v1/usage", usageBody(rid, id, "CLI", "10", JUL_05), "Content-Type", type);
            assertProblem(r, 415, "unsupported-media-type", null);
        }
        assertProblem(send("GET", "/v1/accounts/" + id + "/balance", null, "Content-Type", "multipart/form-data"),
                415, "unsupported-media-type", null);
        Reply big = send("POST", "/v1/usage", "a=" + "x".repeat(5 * 1024 * 1024), "Content-Type",
                "application/x-www-form-urlencoded");
        assertProblem(big, 413, "payload-too-large", null);
        assertNoDecision(rid);
        send("POST", "/v1/usage", usageBody(newId("r"), id, "CLI", "1", JUL_05), "Content-Type",
                "application/json; charset=utf-8").expect(200);
    }

    // ---- 5. errors of the container are problem+json too

    @Test
    @DisplayName("5. paths Tomcat refuses (%2F, %5C, %00, %FF, 8 KB request line) answer problem+json")
    void containerErrors() {
        for (String path : List.of("/v1/accounts/a%2Fb/balance", "/v1/accounts/a%5Cb/balance",
                "/v1/accounts/a%00b/balance", "/v1/accounts/a%FFb/balance", "/v1/accounts/a%zzb/balance",
                "/v1/usage/%", "/v1/accounts/%2e%2e/%2e%2e/x", "/../../etc/passwd")) {
            RawHttp.Answer a = RawHttp.request(port, "GET", path);
            assertTrue(a.status() == 400 || a.status() == 404, () -> path + ": " + a.status() + " " + a.body());
            assertRawProblem(a, a.status(), a.status() == 400 ? "validation-failed" : "not-found");
        }
        assertRawProblem(RawHttp.request(port, "GET", "/v1/rules?" + "a".repeat(9000)), 400,
                "request-header-too-large");
        assertRawProblem(RawHttp.request(port, "GET", "/v1/" + "a".repeat(9000)), 400, "request-header-too-large");
        assertRawProblem(RawHttp.request(port, "GET", "/v1/rules", "X-Big: " + "b".repeat(9000)), 400,
                "request-header-too-large");
        // a method no route declares is refused to every key under /v1 (api/Routes); elsewhere it is a 405
        assertRawProblem(RawHttp.request(port, "DELETE", "/v1/rules"), 403, "forbidden");
        assertRawProblem(RawHttp.request(port, "DELETE", "/actuator/health"), 405, "method-not-allowed");
        assertRawProblem(RawHttp.request(port, "GET", "/nowhere"), 404, "not-found");
        assertRawProblem(RawHttp.request(port, "GET", "/nowhere", "Accept: text/html"), 406, "not-acceptable");
        assertRawProblem(RawHttp.request(port, "GET", "/actuator/health", "Accept: text/html"), 406,
                "not-acceptable");
        assertRawProblem(RawHttp.exchange(port, "GARBAGE\r\n\r\n", null), 400, "validation-failed");
    }

    // ---- 6. amounts that would overflow a column

    @Test
    @DisplayName("6. credits beyond what an account may hold at once are credits-limit-exceeded; usage still answers")
    void creditsLimit() {
        String id = newId("rich");
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);
        grant(id, id + "-a", "PURCHASE", "999999999999999", AUG_01).expect(201);
        Reply second = grant(id, id + "-b", "PURCHASE", "999999999999999", AUG_01);
        assertProblem(second, 422, "credits-limit-exceeded", "amount");
        assertProblem(cycle(id, id + "-c", "PERSONAL_PRO", "1"), 422, "credits-limit-exceeded", "credits");
        assertEquals(1, lotCount(id));
        usage(newId("r"), id, "CLI", "10", "2026-07-10T00:00:00+08:00").expect(200);
        // a lot that does not overlap in time is not counted
        post("/v1/accounts/" + id + "/cycles", json("{'plan': 'PERSONAL_PRO', 'start': '" + AUG_01
                + "', 'end': '2026-09-01T00:00:00+08:00', 'credits': 999999999999999}")).expect(201);
        usage(newId("r"), id, "CLI", "10", "2026-08-10T00:00:00+08:00").expect(200);
    }

    // ---- 7. control characters

    @Test
    @DisplayName("7. control characters in ids and text fields are validation-failed, in bodies and paths")
    void controlCharacters() {
        String id = personalAccountWithPlanCredits("ctl");
        for (String bad : List.of("\\u0000", "\\u0001", "\\n", "\\u007f", "\\u009b", "\\ud800")) {
            String rid = "r" + bad + newId("x");
            assertProblem(post("/v1/usage", usageBody(rid, id, "CLI", "1", JUL_05)), 400, "validation-failed",
                    "requestId");
            String model = usageBody(newId("r"), id, "CLI", "1", JUL_05).replace("qwen3-coder", "q" + bad);
            assertProblem(post("/v1/usage", model), 400, "validation-failed", "model");
            assertProblem(post("/v1/accounts", json("{'accountId': 'a" + bad + "b', 'realm': 'QODER_CN', "
                    + "'plan': 'PERSONAL_PRO', 'at': '" + JUL_01 + "'}")), 400, "validation-failed", "accountId");
        }
        String grant = json("{'lotId': '" + id + "-g', 'source': 'PURCHASE', 'amount': 5, 'effectiveAt': '"
                + JUL_02 + "', 'expiresAt': '" + AUG_01 + "', 'reason': 'R'}");
        assertProblem(post("/v1/accounts/" + id + "/lots", grant.replace("'R'".replace('\'', '"'),
                "\"a\\u0000b\"")), 400, "validation-failed", "reason");
        assertEquals(1, lotCount(id));
        post("/v1/accounts/" + id + "/lots", grant.replace("\"R\"", "\"line one\\nline two\"")).expect(201);
        for (String esc : List.of("%01", "%0A", "%0D", "%7F", "%C2%9B", "%1B")) {
            assertProblem(get("/v1/accounts/a" + esc + "b/balance"), 400, "validation-failed", "accountId");
            assertProblem(get("/v1/usage/r" + esc), 400, "validation-failed", "requestId");
        }
    }

    // ---- 8. logs

    @Test
    @DisplayName("8. a refusal with a newline in the path or body is logged on exactly one line")
    void oneLogLinePerRefusal() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            String marker = newId("forge");
            List<Runnable> refusals = List.of(
                    () -> get("/v1/accounts/" + marker + "%0A12:00:00.000%20INFO%20forged/balance"),
                    () -> post("/v1/usage", usageBody(marker + "\\nINFO forged", "x", "CLI", "1", JUL_05)),
                    () -> post("/v1/accounts", json("{'accountId': '" + marker + "', 'realm': 'QODER_CN', "
                            + "'plan': 'X\\nINFO forged', 'at': '" + JUL_01 + "'}")),
                    () -> get("/v1/accounts/" + marker + "-ghost%E2%80%A8forged/lots"),
                    () -> get("/v1/accounts/" + marker + "/usage?from=2026%0AINFO%20forged"),
                    () -> RawHttp.request(port, "GET", "/v1/accounts/" + marker + "%2F%0Aforged/lots"));
            for (Runnable refusal : refusals) {
                logs.list.clear();
                refusal.run();
                List<String> lines = logs.list.stream().filter(e -> e.getLoggerName().startsWith("dev.creditspolicy"))
                        .map(ILoggingEvent::getFormattedMessage).toList();
                assertEquals(1, lines.size(), lines::toString);
                assertTrue(lines.get(0).startsWith("refused "), lines::toString);
                assertFalse(lines.get(0).contains("\n") || lines.get(0).contains("\r")
                        || lines.get(0).contains("\u2028"), lines.get(0));
            }
        } finally {
            root.detachAppender(logs);
        }
    }

    // ---- 9. body size and shape

    @Test
    @DisplayName("9. a body over 64 KB is 413 (with or without Content-Length); deep nesting is validation-failed")
    void bodyLimits() {
        String id = personalAccountWithPlanCredits("big");
        String rid = newId("r");
        String padded = usageBody(rid, id, "CLI", "1", JUL_05).replace("{", "{\"pad\": \""
                + "p".repeat(70 * 1024) + "\", ");
        assertProblem(post("/v1/usage", padded), 413, "payload-too-large", null);
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/usage"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ADMIN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        padded.getBytes(StandardCharsets.UTF_8)))).build();
        assertProblem(exchange(chunked), 413, "payload-too-large", null);
        String deep = "[".repeat(200) + "]".repeat(200);
        assertProblem(post("/v1/usage", usageBody(rid, id, "CLI", deep, JUL_05)), 400, "validation-failed", null);
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 3000; i++) {
            many.append("\"f").append(i).append("\":1,");
        }
        many.append("\"z\":1}");
        assertProblem(post("/v1/usage", many.toString()), 400, "validation-failed", null);
        assertProblem(post("/v1/usage", "{\"" + "n".repeat(2000) + "\": 1}"), 400, "validation-failed", null);
        assertNoDecision(rid);
    }
}

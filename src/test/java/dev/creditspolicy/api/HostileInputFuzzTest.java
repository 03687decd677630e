package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.CreditsPolicyApplication;
import dev.creditspolicy.ledger.LedgerTables;
import dev.creditspolicy.service.ProblemType;
import dev.creditspolicy.support.TestDatabases;

/**
 * Hostile-input fuzzing (issue 12) over real HTTP, byte for byte on a socket: thousands of seeded requests per run
 * across every route Spring serves under /v1 (read from its handler mappings at start, so a new route is fuzzed
 * without being listed here; one without a well-formed body below fails the start, named), health, Prometheus and a
 * path no route declares, each a plausible request with one thing made hostile (a field replaced by a huge number,
 * a control character, a wrong type, deep nesting; a field dropped or added; a random or truncated body; a hostile
 * path segment, query string, Accept or Content-Type; another method). Each answer must be below 500; every error
 * is problem+json with a known slug and its status; and a refused request leaves every ledger table as it was.
 * The seed is fixed: a failure names the request and reproduces on every run (for the same routes).
 */
class HostileInputFuzzTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ConfigurableApplicationContext app;
    private static int port;
    private static Handle db;
    private static String expected;
    private static final String ACCOUNT = "fuzz-acct";

    @BeforeContainer
    static void start() {
        Map<String, Object> props = new HashMap<>();
        TestDatabases.register((name, value) -> props.put(name, value.get()));
        props.put("server.port", "0");
        // the sweeper marks holds EXPIRED on the server's clock: only the fuzzed requests may write here
        props.put("credits.holds.sweep-seconds", "0");
        // as command-line arguments: default properties would lose to application.properties (the ./data file)
        app = new SpringApplicationBuilder(CreditsPolicyApplication.class).run(props.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        assertTrue(app.getEnvironment().getProperty("spring.datasource.url").equals(props.get("spring.datasource.url")),
                "the fuzz test runs on its own fresh database");
        port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        db = Jdbi.create(app.getBean(DataSource.class)).open();
        routes = RouteCheck.served(app).stream().map(RouteCheck.Served::name).distinct().sorted().map(Target::named)
                .toList();
        assertFalse(routes.isEmpty(), "no route served under /v1: the fuzz would send nothing");
        assertTrue(routes.stream().anyMatch(HostileInputFuzzTest::batch), "no batch route served: " + routes);
        routes.forEach(t -> body(t, 0)); // a served POST route without a well-formed body fails here, named
        post("/v1/accounts", "{\"accountId\":\"" + ACCOUNT + "\",\"realm\":\"QODER_CN\",\"plan\":\"PERSONAL_PRO\","
                + "\"at\":\"2026-07-01T00:00:00+08:00\"}");
        post("/v1/accounts/" + ACCOUNT + "/cycles", "{\"lotId\":\"fuzz-plan\",\"plan\":\"PERSONAL_PRO\",\"start\":"
                + "\"2026-07-01T00:00:00+08:00\",\"end\":\"2026-08-01T00:00:00+08:00\",\"credits\":1000}");
        expected = LedgerTables.snapshot(db);
    }

    private static void post(String path, String body) {
        RawHttp.Answer a = RawHttp.send(port, "POST", path, List.of("Content-Type: application/json"),
                body.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, a.status(), a::body);
    }

    @AfterContainer
    static void stop() {
        if (db != null) {
            // the well-formed part of the fuzz reached the holds: some were made, some settled
            Map<String, Object> holds = db.createQuery("SELECT COUNT(*) AS made, "
                    + "SUM(CASE WHEN state IN ('COMMITTED', 'RELEASED') THEN 1 ELSE 0 END) AS settled FROM holds")
                    .mapToMap().one();
            System.out.println("HostileInputFuzzTest: holds " + holds);
            assertTrue(((Number) holds.get("made")).intValue() > 0 && holds.get("settled") != null
                    && ((Number) holds.get("settled")).intValue() > 0, "the fuzz made and settled holds: " + holds);
            db.close();
        }
        if (app != null) {
            app.close();
        }
    }

    /** One request as sent: its description is the failure message. */
    record Fuzz(String method, String target, List<String> headers, byte[] body) {
        @Override
        public String toString() {
            String b = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            String t = target.length() > 300 ? target.substring(0, 300) + "...(" + target.length() + ")" : target;
            return method + " " + t + " " + headers + " " + (b.length() > 300 ? b.substring(0, 300) + "..." : b);
        }
    }

    @Property(tries = 2600, seed = "20261201", shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void hostileRequestsAreRefusedCleanly(@ForAll("requests") Fuzz f) {
        check(f);
    }

    /**
     * The batch routes (SPEC section 10), on their own so that the single requests above keep their seeded sequence:
     * a hostile event among well-formed ones, or a hostile envelope, headers, path or method.
     */
    @Property(tries = 500, seed = "20261207", shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void hostileBatchesAreAnsweredCleanly(@ForAll("batches") Fuzz f) {
        check(f);
    }

    private static void check(Fuzz f) {
        RawHttp.Answer a = RawHttp.send(port, f.method(), f.target(), f.headers(), f.body());
        Statistics.label("status").collect(a.status());
        assertTrue(a.status() < 500, () -> a.status() + " for " + f + ": " + a.body());
        if (a.status() >= 400) {
            assertTrue(a.contentType().startsWith("application/problem+json"),
                    () -> "content type " + a.contentType() + " for " + f + ": " + a.body());
            if (!f.method().equals("HEAD")) {
                JsonNode p = JSON.readTree(a.body());
                String type = p.get("type").asString();
                String slug = type.substring(type.lastIndexOf('/') + 1);
                assertTrue(type.startsWith(ProblemHandler.TYPE_BASE) && HostileInputApiTest.SLUGS.contains(slug),
                        () -> "slug " + type + " for " + f);
                assertEquals(a.status(), p.get("status").asInt(), () -> f + ": " + a.body());
                assertEquals(ProblemType.statusOf(slug), a.status(), () -> "the declared status of " + slug);
                assertTrue(a.body().length() < 2048, () -> a.body().length() + " chars for " + f);
                Statistics.label("slug").collect(slug);
            }
            String now = LedgerTables.snapshot(db);
            assertEquals(expected, now, () -> "a refused request stored something: " + f + " -> " + a.body());
        } else {
            assertTrue(a.status() >= 200 && a.status() < 300, () -> a.status() + " for " + f);
            if (BatchBodies.PATHS.contains(f.target().split("\\?")[0]) && !f.method().equals("HEAD")) {
                JSON.readTree(a.body()).get("results").forEach(slot -> checkSlot(slot, f));
            }
            expected = LedgerTables.snapshot(db);
        }
    }

    /** An event of a batch answered in its slot: below 500, a refusal with a known slug and its own status. */
    private static void checkSlot(JsonNode slot, Fuzz f) {
        int status = slot.get("status").asInt();
        Statistics.label("batch slot status").collect(status);
        assertTrue(status < 500, () -> slot + " for " + f);
        if (status >= 400) {
            String type = slot.get("problem").get("type").asString();
            String slug = type.substring(type.lastIndexOf('/') + 1);
            assertTrue(HostileInputApiTest.SLUGS.contains(slug), () -> "slug " + type + " for " + f);
            assertEquals(ProblemType.statusOf(slug), status, () -> "the declared status of " + slug);
            assertEquals(status, slot.get("problem").get("status").asInt(), () -> slot + " for " + f);
        } else {
            assertEquals(200, status, () -> slot + " for " + f);
        }
    }

    // ---- generators

    /** What the fuzz sends a request to: a method and a path pattern ({@code {id}} and the like filled in). */
    record Target(String method, String path) {
        String name() {
            return method + " " + path;
        }

        static Target named(String name) {
            int space = name.indexOf(' ');
            return new Target(name.substring(0, space), name.substring(space + 1));
        }
    }

    /** Every route Spring serves under /v1, read from its handler mappings at start, in name order. */
    private static List<Target> routes;
    /** Targets that are no /v1 route: health and Prometheus, and a /v1 path no route declares. */
    static final List<Target> ELSEWHERE = List.of(new Target("GET", "/actuator/health"),
            new Target("GET", "/actuator/prometheus"), new Target("GET", "/v1/{id}"));
    /** Values of the path variables after the first (which is the fuzzed one). */
    static final Map<String, String> FIXED = Map.of("lotId", "fz-lot-1", "deliveryId", "1");
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

    private static final String JUL_01 = "\"2026-07-01T00:00:00+08:00\"";
    private static final String AUG_01 = "\"2026-08-01T00:00:00+08:00\"";

    /** A well-formed body per endpoint, as field -> JSON literal; ids from small pools so retries and conflicts occur. */
    static Map<String, String> body(Target t, int pick) {
        Map<String, String> m = new LinkedHashMap<>();
        String n = Integer.toString(pick % 4);
        if (!t.method().equals("POST")) {
            return m;
        }
        switch (t.name()) {
            case "POST /v1/accounts" -> {
                m.put("accountId", "\"fz-" + n + "\"");
                m.put("realm", "\"QODER_CN\"");
                m.put("plan", "\"PERSONAL_PRO\"");
                m.put("at", JUL_01);
            }
            case "POST /v1/accounts/{id}/cycles" -> {
                m.put("lotId", "\"fz-cycle-" + n + "\"");
                m.put("plan", "\"PERSONAL_PRO\"");
                m.put("start", JUL_01);
                m.put("end", AUG_01);
                m.put("credits", "100");
            }
            case "POST /v1/accounts/{id}/lots" -> {
                m.put("lotId", "\"fz-lot-" + n + "\"");
                m.put("source", "\"PURCHASE\"");
                m.put("amount", "5");
                m.put("effectiveAt", "\"2026-07-02T00:00:00+08:00\"");
                m.put("expiresAt", AUG_01);
                m.put("reason", "\"pack\"");
            }
            case "POST /v1/accounts/{id}/viewer-tokens" -> m.put("ttlSeconds", "60");
            case "POST /v1/accounts/{id}/lots/{lotId}/void" -> {
                m.put("at", "\"2026-07-20T00:00:00+08:00\"");
                m.put("reason", "\"refund " + n + "\"");
            }
            case "POST /v1/usage/{requestId}/reversal" -> {
                m.put("at", "\"2026-07-06T00:00:00+08:00\"");
                m.put("reason", "\"charged by mistake " + n + "\"");
            }
            case "POST /v1/keys" -> {
                m.put("name", "\"fz-k-" + n + "\"");
                m.put("roles", "[\"service\"]");
                m.put("realms", "[\"QODER\"]");
            }
            case "POST /v1/accounts/{id}/plan-changes" -> {
                m.put("toPlan", "\"PERSONAL_COMMUNITY\"");
                m.put("at", "\"2026-07-10T00:00:00+08:00\"");
                m.put("kind", "\"DOWNGRADE\"");
            }
            case "POST /v1/evaluate", "POST /v1/usage", "POST " + BatchBodies.USAGE, "POST " + BatchBodies.EVALUATE -> {
                m.put("requestId", "\"fz-r-" + (pick % 16) + "\"");
                m.put("accountId", "\"" + ACCOUNT + "\"");
                m.put("product", "\"CLI\"");
                m.put("feature", "\"QUEST_AGENT\"");
                m.put("model", "\"qwen3-coder\"");
                m.put("outcome", "\"SUCCEEDED\"");
                m.put("credits", "1");
                m.put("occurredAt", "\"2026-07-05T10:00:00+08:00\"");
            }
            case "POST /v1/holds" -> {
                m.put("holdId", "\"fz-h-" + (pick % 8) + "\"");
                m.put("accountId", "\"" + ACCOUNT + "\"");
                m.put("product", "\"CLI\"");
                m.put("feature", "\"QUEST_AGENT\"");
                m.put("model", "\"qwen3-coder\"");
                m.put("credits", "2");
                m.put("occurredAt", "\"2026-07-05T10:00:00+08:00\"");
                m.put("ttlSeconds", "900");
            }
            case "POST /v1/holds/{holdId}/commit" -> {
                m.put("outcome", "\"SUCCEEDED\"");
                m.put("credits", "1");
                m.put("occurredAt", "\"2026-07-05T10:05:00+08:00\"");
            }
            case "POST /v1/holds/{holdId}/release" -> m.put("occurredAt", "\"2026-07-05T10:05:00+08:00\"");
            case "POST /v1/webhooks" -> {
                m.put("url", "\"http://127.0.0.1:9/fz-" + n + "\"");
                m.put("eventTypes", "[\"balance.low\", \"usage.reversed\"]");
                m.put("realms", "[\"QODER_CN\"]");
                m.put("description", "\"fuzz\"");
            }
            case "POST /v1/rules/reload", "POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver" -> {
                // no body: whatever is sent is hostile
            }
            default -> throw new IllegalStateException(t.name() + " is served but the fuzz has no well-formed body "
                    + "for it: add one to HostileInputFuzzTest.body");
        }
        if (PRICED.contains(t.name()) && (pick & 32) != 0) {
            // priced by the rules from its tokens (issue 18) instead of sending credits
            m.remove("credits");
            m.put("inputTokens", "1200");
            m.put("outputTokens", "300");
            m.put("cachedInputTokens", "100");
        }
        return m;
    }

    static final List<String> HOSTILE_VALUES = List.of("1e2147483647", "1e-2147483647", "1e2147483648",
            "1e999999999", "-1e999999999", "0e999999999", "0E-2147483647", "-0", "0.00001", "1.5e3", "1E+15",
            "999999999999999", "1000000000000000", "123456789012345678901234567890", "9".repeat(1200), "NaN",
            "Infinity", "\"1e999999999\"", "\"0x10\"", "\" 1 \"", "\"\"", "\"   \"", "null", "true", "{}", "[]",
            "[1]", "{\"a\":{\"b\":1}}", "\"\\u0000\"", "\"a\\u0000b\"", "\"a\\nb\"", "\"\\u001b[31m\"",
            "\"\\ud800\"", "\"\\udc00x\"", "\"\\u2028\"", "\"\\u007f\"", "\"\\u0085\"", "\"a\u0001b\"",
            "\"x\u0000y\"", "\"" + "x".repeat(200) + "\"", "\"" + "y".repeat(600) + "\"", "\"é✓𝄞\"",
            "\"2026-13-45T00:00:00Z\"", "\"+300000-01-01T00:00:00Z\"", "\"2026-07-05T10:00:00\"",
            "\"2026-07-05T10:00:00.0000001Z\"", "\"0000-01-01T00:00:00Z\"", "\"PERSONAL_ULTRA\"", "\"plan\"",
            "\"FAILED\"", "\"ENTERPRISE_TEAMS\"", "\"QODER\"", "[".repeat(100) + "]".repeat(100),
            "{\"a\":".repeat(60) + "1" + "}".repeat(60), "\"\\\"", "'single'", "01", "+1", ".5", "1.",
            "\"fuzz-acct\"", "\"fz-lot-1\"", "\"fz-r-1\"", "\"fz-h-1\"", "86401", "0", "-5", "2.5", "\"gpt-unpriced\"");

    static final List<String> RAW_BODIES = List.of("", "{", "}", "[]", "null", "\"x\"", "1e2147483648", "{\"a\":}",
            "{\"a\" 1}", "{,}", "\u0000", "\uFEFF{}", "{\"a\":1,\"a\":2}", "[".repeat(5000),
            "{\"" + "k".repeat(3000) + "\":1}", "a=1&b=2", "--x\r\nContent-Disposition: form-data\r\n\r\nz\r\n--x--");

    static final List<String> SEGMENTS = List.of("fuzz-acct", "fuzz-acct", "fuzz-acct", "fz-0", "fz-r-1",
            "nobody", "fz-h-1", "%00", "a%00b", "%0A", "a%0Ab", "%0D%0A", "%01", "%1B", "%7F", "%C2%85", "%E2%80%A8",
            "%2F", "a%2Fb", "%5C", "%FF", "%C0%AF", "%zz", "%", "%2", "..", "%2e%2e", ".", "a;b", "a;jsessionid=1",
            "x".repeat(129), "x".repeat(3000), "%20", "+", "a+b", "%2B", "~", "%25", "%25zz", "%F0%9D%84%9E",
            "%ED%A0%80", "a b", "a\tb", "\u00e9", "a\"b", "a<b>", "a{b}", "a|b", "a^b", "a`b", "a\\b", "[x]",
            "%3F", "%23", "a#b", "a?b");

    static final List<String> QUERY_NAMES = List.of("at", "from", "to", "groupBy", "zone", "product", "limit",
            "explain", "colour", "", "%zz", "%FF", "a%00", "at%0A");
    static final List<String> QUERY_VALUES = List.of("2026-07-05T00:00:00Z", "2026-07-05T00:00:00%2B08:00",
            "2026-07-05T00:00:00+08:00", "CLI", "VSCODE", "day", "week", "product", "Z", "Asia/Shanghai", "Mars/Base",
            "%2B99:00", "50", "0", "-1", "abc", "1.5", "1e3", "99999999999", "", "%FF", "%zz", "%", "%00",
            "%0A", "%C3", "%E2%82", "x".repeat(5000), "true", "a%20b", "%F0%9D%84%9E", "%ED%A0%80");

    static final List<String> ACCEPTS = List.of("", "", "", "application/json", "*/*", "application/*",
            "application/problem+json", "text/html", "text/plain", "image/png", "application/xml",
            "application/json;q=0", "text/html, application/json;q=0.1", "garbage", "text/", ";;;",
            "application/*+json", "*/*;q=0", "application/json; charset=latin1", "x".repeat(2000));
    static final List<String> CONTENT_TYPES = List.of("application/json", "application/json", "application/json",
            "", "application/json; charset=utf-8", "application/json; charset=iso-8859-1", "*/*", "application/*",
            "text/*", "text/plain", "multipart/form-data", "multipart/form-data; boundary=x", "multipart/mixed",
            "application/x-www-form-urlencoded", "application/problem+json", "application/merge-patch+json",
            "garbage", ";", "application/xml", "x".repeat(500));
    /** Authorization headers that must all answer 401 (or be refused earlier), never 5xx. */
    static final List<String> AUTHORIZATIONS = List.of("Authorization:", "Authorization: Bearer",
            "Authorization: Bearer ", "Authorization: Bearer nope", "Authorization: bearer cpk_unknown",
            "Authorization: Basic YWRtaW46YWRtaW4=", "Authorization: Token abc", "Authorization: Bearer a b",
            "Authorization: Bearer \u00e9t\u00e9", "Authorization: Bearer \u00c3\u00a9\u00e2\u0082\u00ac",
            "Authorization: Bearer " + "k".repeat(300), "Authorization: Bearer " + "k".repeat(7000),
            "Authorization: Bearer\tcpk_x", "Authorization: Bearer cpv_", "Authorization: Bearer cpv_.",
            "Authorization: Bearer cpv_%%.##", "Authorization: Bearer cpv_djF8ZnV6ei1hY2N0fDQxMDI0NDQ4MDA.AAAA",
            "Authorization: Bearer cpv_" + "A".repeat(150) + "." + "B".repeat(43), "Authorization: " + "x".repeat(1000),
            "Authorization: Bearer cpk_x\r\nAuthorization: Bearer cpk_y",
            "Authorization: Bearer " + dev.creditspolicy.support.TestDatabases.ADMIN_KEY + "x",
            "Authorization: Bearer " + dev.creditspolicy.support.TestDatabases.ADMIN_KEY.substring(1));

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD",
            "TRACE", "PROPFIND", "G\u00c9T");

    /** The routes whose calls may send tokens for the rules to price instead of credits. */
    static final Set<String> PRICED = Set.of("POST /v1/usage", "POST /v1/evaluate", "POST /v1/holds",
            "POST /v1/holds/{holdId}/commit", "POST " + BatchBodies.USAGE, "POST " + BatchBodies.EVALUATE);

    /**
     * The hold routes are drawn three times as often: a hold is settled only by a well-formed commit or release of a
     * hold a well-formed request made, so that the fuzz reaches them on every run (see {@link #stop}).
     */
    private static int weight(Target t) {
        return t.path().startsWith("/v1/holds") ? 3 : 1;
    }

    private static boolean batch(Target t) {
        return BatchBodies.PATHS.contains(t.path());
    }

    @Provide
    Arbitrary<Fuzz> requests() {
        List<Tuple.Tuple2<Integer, Target>> targets = new ArrayList<>();
        routes.stream().filter(t -> !batch(t)).forEach(t -> targets.add(Tuple.of(weight(t), t)));
        ELSEWHERE.forEach(t -> targets.add(Tuple.of(1, t)));
        return requests(Arbitraries.frequency(targets));
    }

    @Provide
    Arbitrary<Fuzz> batches() {
        return requests(Arbitraries.of(routes.stream().filter(HostileInputFuzzTest::batch).toList()));
    }

    private static Arbitrary<Fuzz> requests(Arbitrary<Target> endpoint) {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1 << 20);
        Arbitrary<Integer> bodyMutation = Arbitraries.integers().between(0, 9);
        Arbitrary<String> hostile = Arbitraries.oneOf(Arbitraries.of(HOSTILE_VALUES),
                Arbitraries.strings().all().ofMaxLength(12).map(RawProblems::quote));
        Arbitrary<String> segment = Arbitraries.of(SEGMENTS);
        Arbitrary<List<String>> query = Combinators.combine(Arbitraries.of(QUERY_NAMES), Arbitraries.of(QUERY_VALUES))
                .as((n, v) -> n + "=" + v).list().ofMaxSize(3);
        // most requests carry ordinary headers, so that bodies, paths and queries reach the code that reads them
        Arbitrary<String> accept = Arbitraries.frequencyOf(Tuple.of(7, Arbitraries.just("")),
                Tuple.of(3, Arbitraries.of(ACCEPTS)));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(Tuple.of(7, Arbitraries.just("application/json")),
                Tuple.of(3, Arbitraries.of(CONTENT_TYPES)));
        Arbitrary<String> method = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just("")), Tuple.of(1, Arbitraries.of(METHODS)));
        Arbitrary<String> authorization = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.of(AUTHORIZATIONS)));
        return Combinators.combine(endpoint, pick, bodyMutation, hostile, segment, query, accept, contentType)
                .as((e, p, mutation, value, seg, q, acc, ct) -> build(e, p, mutation, value, seg, q, acc, ct, ""))
                .flatMap(f -> method.map(m -> m.isEmpty() ? f : new Fuzz(m, f.target(), f.headers(), f.body())))
                .flatMap(f -> authorization.map(a -> a.isEmpty() ? f : withHeader(f, a)));
    }

    static Fuzz withHeader(Fuzz f, String header) {
        List<String> headers = new ArrayList<>(f.headers());
        headers.add(header);
        return new Fuzz(f.method(), f.target(), headers, f.body());
    }

    static Fuzz build(Target e, int pick, int mutation, String value, String segment, List<String> query,
                      String accept, String contentType, String unused) {
        Matcher variable = VARIABLE.matcher(e.path());
        String id = (pick & 1) == 0 ? segment : !variable.find() ? ACCOUNT : switch (variable.group(1)) {
            case "requestId" -> "fz-r-" + (pick % 16);
            case "holdId" -> "fz-h-" + ((pick >> 1) % 8);
            default -> ACCOUNT;
        };
        String target = fill(e.path(), id);
        if (!query.isEmpty() || (pick & 6) == 0) {
            target += "?" + String.join("&", query);
        }
        List<String> headers = new ArrayList<>();
        if (!accept.isEmpty()) {
            headers.add("Accept: " + accept);
        }
        byte[] body = null;
        if (e.method().equals("POST")) {
            Map<String, String> fields = body(e, pick >> 2);
            List<String> names = new ArrayList<>(fields.keySet());
            String text;
            if (mutation <= 3 && !names.isEmpty()) {
                fields.put(names.get((pick >> 3) % names.size()), value);
                text = render(fields);
            } else if (mutation == 4 && !names.isEmpty()) {
                fields.remove(names.get((pick >> 3) % names.size()));
                text = render(fields);
            } else if (mutation == 5) {
                fields.put("x" + (pick % 3), value);
                text = render(fields);
            } else if (mutation == 6) {
                text = RAW_BODIES.get(pick % RAW_BODIES.size());
            } else if (mutation == 7) {
                String full = render(fields);
                text = full.substring(0, (pick >> 4) % Math.max(1, full.length()));
            } else {
                text = render(fields); // well-formed: the headers and path are the hostile part, or nothing is
            }
            if (batch(e) && mutation != 6) {
                // the hostile body is one event among well-formed ones (truncated: the whole batch is cut)
                String first = render(body(e, (pick >> 2) + 1));
                String last = render(body(e, (pick >> 2) + 5));
                text = "{\"events\":[" + first + "," + text + "," + last + "]"
                        + ((pick & 64) != 0 && mutation == 5 ? ",\"x\":" + value : "") + "}";
            }
            body = text.getBytes(StandardCharsets.UTF_8);
            if (!contentType.isEmpty()) {
                headers.add("Content-Type: " + contentType);
            }
        } else if ((pick & 24) == 0 && !contentType.isEmpty()) {
            headers.add("Content-Type: " + contentType);
        }
        return new Fuzz(e.method(), target, headers, body);
    }

    /** The path with its first variable as {@code id} and any other as {@link #FIXED} says. */
    static String fill(String path, String id) {
        Matcher m = VARIABLE.matcher(path);
        StringBuilder b = new StringBuilder();
        boolean first = true;
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(first ? id : FIXED.getOrDefault(m.group(1), id)));
            first = false;
        }
        return m.appendTail(b).toString();
    }

    static String render(Map<String, String> fields) {
        StringBuilder b = new StringBuilder("{");
        fields.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return b.append('}').toString();
    }
}

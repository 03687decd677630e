package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.support.TestDatabases;

/**
 * The service on a random port over a fresh database, called over real HTTP. Every test class extending this shares
 * one application context (and database), so tests use their own account and request ids ({@link #newId}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ApiTestSupport {
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static final String JUL_01 = "2026-07-01T00:00:00+08:00";
    static final String JUL_02 = "2026-07-02T00:00:00+08:00";
    static final String AUG_01 = "2026-08-01T00:00:00+08:00";

    @DynamicPropertySource
    static void db(DynamicPropertyRegistry r) {
        TestDatabases.register(r);
        // the shared context's tests send bad keys on purpose from 127.0.0.1; RateLimitApiTest exhausts this
        // budget from another address (127.0.0.2)
        r.add("credits.rate-limits.failed-auth-per-minute", () -> String.valueOf(FAILED_AUTH_PER_MINUTE));
    }

    static final int FAILED_AUTH_PER_MINUTE = 500;

    @LocalServerPort
    int port;

    /** One HTTP exchange: status, content type, the raw body and the body as JSON (null when empty). */
    record Reply(int status, String contentType, HttpResponse<String> response, JsonNode json) {
        JsonNode get(String field) {
            JsonNode n = json.get(field);
            assertNotNull(n, () -> "no '" + field + "' in " + response.body());
            return n;
        }

        String text(String field) {
            return get(field).asString();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        Reply expect(int expected) {
            assertEquals(expected, status, () -> "status of " + response.request().method() + " "
                    + response.request().uri() + ": " + response.body());
            return this;
        }
    }

    /** A JSON body written with single quotes, for readability: {@code json("{'a': 1}")}. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The key the helpers send unless told otherwise: the admin key of {@code credits.admin-key}. */
    static final String ADMIN = TestDatabases.ADMIN_KEY;

    Reply post(String path, String body) {
        return post(path, body, ADMIN);
    }

    Reply get(String path) {
        return get(path, ADMIN);
    }

    /** With {@code key} as the bearer key; null sends no Authorization header. */
    Reply post(String path, String body, String key) {
        return call("POST", path, body, key);
    }

    Reply get(String path, String key) {
        return call("GET", path, null, key);
    }

    Reply call(String method, String path, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return send(b.build());
    }

    /** A new key with these roles and realms, made with the admin key; answers its secret. */
    String newKey(String name, String roles, String realms) {
        return post("/v1/keys", json("{'name': '" + name + "', 'roles': [" + roles + "], 'realms': [" + realms
                + "]}")).expect(201).text("secret");
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode body = r.body().isEmpty() || !type.contains("json") ? null : JSON.readTree(r.body());
            return new Reply(r.statusCode(), type, r, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- requests the tests build on

    Reply createAccount(String id, String realm, String plan) {
        return post("/v1/accounts", json("{'accountId': '" + id + "', 'realm': '" + realm + "', 'plan': '" + plan
                + "', 'at': '" + JUL_01 + "'}"));
    }

    Reply cycle(String account, String lotId, String plan, String credits) {
        return post("/v1/accounts/" + account + "/cycles", json("{'lotId': '" + lotId + "', 'plan': '" + plan
                + "', 'start': '" + JUL_01 + "', 'end': '" + AUG_01 + "', 'credits': " + credits + "}"));
    }

    Reply grant(String account, String lotId, String source, String amount, String expiresAt) {
        return post("/v1/accounts/" + account + "/lots", json("{'lotId': '" + lotId + "', 'source': '" + source
                + "', 'amount': " + amount + ", 'effectiveAt': '" + JUL_02 + "', 'expiresAt': '" + expiresAt
                + "', 'reason': 'credit pack'}"));
    }

    static String usageBody(String requestId, String account, String product, String credits, String occurredAt) {
        return json("{'requestId': '" + requestId + "', 'accountId': '" + account + "', 'product': '" + product
                + "', 'feature': 'QUEST_AGENT', 'model': 'qwen3-coder', 'outcome': 'SUCCEEDED', 'credits': "
                + credits + ", 'occurredAt': '" + occurredAt + "'}");
    }

    Reply usage(String requestId, String account, String product, String credits, String occurredAt) {
        return post("/v1/usage", usageBody(requestId, account, product, credits, occurredAt));
    }

    /** A personal account (QODER_CN, PERSONAL_PRO) with a 100-credit plan lot for July, lot id "&lt;id&gt;-plan". */
    String personalAccountWithPlanCredits(String prefix) {
        String id = newId(prefix);
        createAccount(id, "QODER_CN", "PERSONAL_PRO").expect(201);
        cycle(id, id + "-plan", "PERSONAL_PRO", "100").expect(201);
        return id;
    }

    Reply balance(String account, String at) {
        return get("/v1/accounts/" + account + "/balance?at=" + at.replace("+", "%2B")).expect(200);
    }

    // ---- assertions: amounts as numbers, instants as instants

    static void assertAmount(String expected, JsonNode actual) {
        assertTrue(actual.isNumber(), () -> "not a number: " + actual);
        BigDecimal a = actual.decimalValue();
        assertEquals(0, new BigDecimal(expected).compareTo(a), () -> "expected " + expected + " but was " + a);
    }

    static void assertInstant(String expected, JsonNode actual) {
        assertEquals(OffsetDateTime.parse(expected).toInstant(), Instant.parse(actual.asString()));
    }

    static void assertBalance(Reply balance, String total, String plan, String addon) {
        assertAmount(total, balance.get("total"));
        assertAmount(plan, balance.get("byType").get("PLAN"));
        assertAmount(addon, balance.get("byType").get("ADDON"));
    }

    /** The problem+json body of a refusal, checked for status, content type, type slug, title and field. */
    static Reply assertProblem(Reply r, int status, String slug, String field) {
        r.expect(status);
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        String type = r.text("type");
        assertTrue(type.endsWith("/" + slug), () -> "type " + type + " should end in /" + slug);
        assertFalse(r.text("title").isBlank());
        assertEquals(status, r.get("status").asInt());
        if (field == null) {
            assertNull(r.json().get("field"), r.response().body());
        } else {
            assertEquals(field, r.text("field"), r.response().body());
        }
        return r;
    }

    private static void assertNull(JsonNode n, String body) {
        assertTrue(n == null || n.isNull(), () -> "unexpected field in " + body);
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asString()));
        return out;
    }
}

package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.creditspolicy.CreditsPolicyApplication;
import dev.creditspolicy.support.TestDatabases;

/**
 * The service restarted over the same database (H2 in memory kept open, or one PostgreSQL schema), with the same
 * {@code credits.admin-key}: once an all-realm admin of its own has revoked {@code admin}, the restart leaves it
 * revoked, and its log says so in one line (before issue 24 the restart brought it back).
 */
@ExtendWith(OutputCaptureExtension.class)
@DisplayName("a restart does not bring back a revoked credits.admin-key while another all-realm admin exists")
class AdminKeyRestartTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN = TestDatabases.ADMIN_KEY;

    @Test
    void aRevokedAdminKeyStaysRevokedAcrossARestart(CapturedOutput output) throws Exception {
        Map<String, Object> settings = new HashMap<>();
        TestDatabases.register((name, value) -> settings.put(name, value.get()));
        settings.put("server.port", "0");
        String ops;
        try (ConfigurableApplicationContext first = start(settings)) {
            assertEquals(settings.get("spring.datasource.url"), first.getEnvironment()
                    .getProperty("spring.datasource.url"), "the test's own database, not the default file");
            ops = ApiTestSupport.JSON.readTree(send(first, "POST", "/v1/keys", ADMIN, "{\"name\":\"ops-admin\","
                    + "\"roles\":[\"admin\"],\"realms\":[\"QODER_CN\",\"QODER\"]}", 201)).get("secret").asString();
            send(first, "DELETE", "/v1/keys/admin", ops, null, 200);
            send(first, "GET", "/v1/keys", ADMIN, null, 401);
        }
        try (ConfigurableApplicationContext second = start(settings)) {
            send(second, "GET", "/v1/keys", ADMIN, null, 401);
            send(second, "GET", "/v1/keys", ops, null, 200);
            // the last all-realm admin left is ops-admin: it cannot go
            send(second, "DELETE", "/v1/keys/ops-admin", ops, null, 409);
        }
        long lines = output.getOut().lines().filter(l -> l.contains("admin key: the key 'admin' stays revoked")
                && l.contains("1 other key(s) hold admin for every realm; credits.admin-key is not used")).count();
        assertEquals(1, lines, "one line at the second start says the admin key stays revoked");
        assertTrue(output.getOut().contains("admin key: created the key 'admin' from credits.admin-key"));
    }

    /** The settings as command-line arguments: they win over application.properties (default properties do not). */
    private static ConfigurableApplicationContext start(Map<String, Object> settings) {
        return new SpringApplicationBuilder(CreditsPolicyApplication.class).run(settings.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private static String send(ConfigurableApplicationContext app, String method, String path, String key,
                               String body, int expected) throws Exception {
        String port = app.getEnvironment().getProperty("local.server.port");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + key).method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), () -> method + " " + path + ": " + r.body());
        return r.body();
    }
}

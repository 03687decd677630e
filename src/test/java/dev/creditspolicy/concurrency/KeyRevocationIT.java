package dev.creditspolicy.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SPEC section 8: a key revoked through one instance is refused by that instance at once and by another instance on
 * the same PostgreSQL database within 5 seconds (each caches key look-ups for at most {@code Keys.CACHE_TTL}).
 */
class KeyRevocationIT {
    private final List<ServiceJar> instances = new ArrayList<>();

    @AfterEach
    void stop() {
        instances.forEach(ServiceJar::stop);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void revokedThroughOneInstanceRefusedThereAtOnceAndOnTheOtherWithinFiveSeconds() throws Exception {
        ServiceJar.requirePostgres("KeyRevocationIT");
        String schema = ServiceJar.freshPostgresSchema("it_keys_");
        List<String> db = ServiceJar.postgresArgs(schema);
        instances.add(ServiceJar.start("KeyRevocationIT", "pg-1", db));
        instances.add(ServiceJar.start("KeyRevocationIT", "pg-2", db));
        ServiceJar.awaitHealthy(instances);
        ServiceJar one = instances.get(0);
        ServiceJar two = instances.get(1);

        HttpResponse<String> created = send(one, "POST", "/v1/keys", ServiceJar.BEARER,
                "{\"name\":\"svc\",\"roles\":[\"service\"],\"realms\":[\"QODER_CN\"]}");
        assertEquals(201, created.statusCode(), created.body());
        String bearer = "Bearer " + ServiceJar.JSON.readTree(created.body()).get("secret").asString();
        // both instances know (and cache) the key
        assertEquals(404, send(one, "GET", "/v1/accounts/nobody/balance", bearer, null).statusCode());
        assertEquals(404, send(two, "GET", "/v1/accounts/nobody/balance", bearer, null).statusCode());

        HttpResponse<String> revoked = send(one, "DELETE", "/v1/keys/svc", ServiceJar.BEARER, null);
        assertEquals(200, revoked.statusCode(), revoked.body());
        long revokedAt = System.nanoTime();
        assertEquals(401, send(one, "GET", "/v1/accounts/nobody/balance", bearer, null).statusCode(),
                "the revoking instance refuses the key at once");
        while (send(two, "GET", "/v1/accounts/nobody/balance", bearer, null).statusCode() != 401) {
            assertTrue(System.nanoTime() - revokedAt < Duration.ofSeconds(5).toNanos(),
                    "the other instance still accepts the key 5 s after its revocation");
            Thread.sleep(100);
        }
        long tookMs = (System.nanoTime() - revokedAt) / 1_000_000;
        System.out.println("KeyRevocationIT: refused by the other instance " + tookMs + " ms after the revocation");
        ServiceJar.dropPostgresSchema(schema);
    }

    private static HttpResponse<String> send(ServiceJar s, String method, String path, String bearer, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url(path))).timeout(Duration.ofSeconds(30))
                .header("Authorization", bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return ServiceJar.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

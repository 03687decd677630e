package dev.creditspolicy.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.store.Store;
import dev.creditspolicy.webhooks.Receiver;
import dev.creditspolicy.webhooks.StandardWebhooksVerifier;

/**
 * Webhooks end to end over real HTTP: the service delivers to real receivers (JDK HTTP servers on free ports), whose
 * signatures an independent Standard Webhooks verifier checks. The retry schedule is shortened (1 s, 1 s) and the
 * attempt timeout is 2 s so the failing cases finish quickly; the production defaults are 5 s ... 24 h and 10 s.
 */
@TestPropertySource(properties = {"credits.webhooks.retries=1s,1s", "credits.webhooks.timeout-seconds=2",
        "credits.webhooks.poll-ms=100",
        // set as production must (on PostgreSQL there is no development key): base64 of 32 bytes
        "credits.webhooks.secret-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="})
class WebhooksApiTest extends ApiTestSupport {
    @Autowired
    Store store;

    private String webhook(Receiver r, String realm, String types) {
        return post("/v1/webhooks", json("{'url': '" + r.url() + "', 'eventTypes': [" + types + "], 'realms': ['"
                + realm + "'], 'description': 'test'}")).expect(201).json().toString();
    }

    /** An account of the realm whose plan credits go low: 100 granted, 85 used (15 left, below 20%). */
    private String lowAccount(String realm) {
        String id = newId("wh");
        createAccount(id, realm, "PERSONAL_PRO").expect(201);
        cycle(id, id + "-plan", "PERSONAL_PRO", "100").expect(201);
        usage(newId("r"), id, "CLI", "85", "2026-07-03T10:00:00+08:00").expect(200);
        return id;
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    @DisplayName("An event reaches its webhook signed (checked independently), as the envelope the events list shows; "
            + "the delivery log records the 200; the secret is stored sealed")
    void deliversSigned() throws Exception {
        try (Receiver r = new Receiver(n -> 200)) {
            JsonNode created = JSON.readTree(webhook(r, "QODER", "'balance.low'"));
            String secret = created.get("secret").asString();
            assertThat(secret).startsWith("whsec_");
            String account = lowAccount("QODER");
            await("the delivery", () -> r.received().stream().anyMatch(x -> x.body().contains(account)));
            Receiver.Received got = r.received().stream().filter(x -> x.body().contains(account)).findFirst()
                    .orElseThrow();
            assertThat(StandardWebhooksVerifier.verify(secret, got.id(), got.timestamp(), got.signature(), got.body(),
                    got.receivedAtSeconds())).isTrue();
            JsonNode body = JSON.readTree(got.body());
            assertThat(body.get("type").asString()).isEqualTo("balance.low");
            assertThat(body.get("id").asString()).isEqualTo(got.id());
            assertThat(body.get("realm").asString()).isEqualTo("QODER");
            assertInstant("2026-07-03T10:00:00+08:00", body.get("occurredAt"));
            assertAmount("15", body.get("data").get("available"));
            assertAmount("20", body.get("data").get("threshold"));
            JsonNode listed = get("/v1/accounts/" + account + "/events").expect(200).json();
            assertThat(listed.toString()).contains(got.id());
            assertThat(JSON.readTree(listed.get(0).toString())).isEqualTo(body);
            String id = created.get("id").asString();
            await("the delivery log", () -> get("/v1/webhooks/" + id + "/deliveries").json().get(0).get("state")
                    .asString().equals("DELIVERED"));
            JsonNode delivery = get("/v1/webhooks/" + id + "/deliveries").json().get(0);
            assertThat(delivery.get("attempts").get(0).get("responseCode").asInt()).isEqualTo(200);
            assertThat(get("/v1/webhooks/" + id).expect(200).json().has("secret")).isFalse();
            String stored = store.jdbi().withHandle(h -> h.createQuery("SELECT secret FROM webhooks WHERE "
                    + "webhook_id = :id").bind("id", id).mapTo(String.class).one());
            assertThat(stored).startsWith("v1:").doesNotContain(secret.substring(6));
        }
    }

    @Test
    @DisplayName("Every event type is raised over the API and delivered, signed, to a webhook of all eight types: "
            + "low, depleted and recovered balance, expiring credits, an upgrade's and a void's shortening, a void, an "
            + "expired hold, a reversal")
    void everyTypeDelivered() throws Exception {
        try (Receiver r = new Receiver(n -> 200)) {
            String all = String.join(", ", EVERY_TYPE.stream().map(t -> "'" + t + "'").toList());
            String secret = JSON.readTree(webhook(r, "QODER_CN", all)).get("secret").asString();
            String id = personalAccountWithPlanCredits("every");
            grant(id, id + "-pack", "PURCHASE", "50", "2026-07-12T00:00:00+08:00").expect(201);
            post("/v1/holds", json("{'holdId': '" + newId("h") + "', 'accountId': '" + id + "', 'product': 'CLI', "
                    + "'feature': 'QUEST_AGENT', 'model': 'm', 'credits': 1, 'occurredAt': '2026-07-02T10:00:00+08:00', "
                    + "'ttlSeconds': 60}")).expect(200);
            // 7 a day for days: the pack (soonest expiry) is forecast to expire with credits left
            usage(newId("r"), id, "CLI", "7", "2026-07-03T10:00:00+08:00").expect(200);
            usage(newId("r"), id, "CLI", "7", "2026-07-06T10:00:00+08:00").expect(200);
            String all136 = newId("r"); // the 136 left: low, then depleted; its reversal recovers
            usage(all136, id, "CLI", "136", "2026-07-07T10:00:00+08:00").expect(200);
            post("/v1/usage/" + all136 + "/reversal", json("{'at': '2026-07-08T00:00:00+08:00', 'reason': 'dup'}"))
                    .expect(200);
            grant(id, id + "-pack2", "PURCHASE", "5", "2026-07-30T00:00:00+08:00").expect(201);
            post("/v1/accounts/" + id + "/plan-changes", json("{'toPlan': 'ENTERPRISE_TEAMS', 'at': "
                    + "'2026-07-09T00:00:00+08:00', 'kind': 'UPGRADE'}")).expect(201);
            post("/v1/accounts/" + id + "/lots/" + id + "-pack2/void", json("{'at': '2026-07-10T00:00:00+08:00', "
                    + "'reason': 'refund'}")).expect(200);
            JsonNode raised = get("/v1/accounts/" + id + "/events?limit=100").expect(200).json();
            List<String> types = texts(raised, "type");
            assertThat(types).as("every type raised: " + types).containsAll(EVERY_TYPE);
            List<String> ids = texts(raised, "id");
            await("every event delivered", () -> r.received().stream().map(Receiver.Received::id).toList()
                    .containsAll(ids));
            for (Receiver.Received got : r.received()) {
                assertThat(StandardWebhooksVerifier.verify(secret, got.id(), got.timestamp(), got.signature(),
                        got.body(), got.receivedAtSeconds())).as("signature of " + got.id()).isTrue();
            }
        }
    }

    private static final List<String> EVERY_TYPE = List.of("balance.low", "balance.recovered", "balance.depleted",
            "credits.expiring", "lot.expiry-shortened", "lot.voided", "hold.expired", "usage.reversed");

    @Test
    @DisplayName("A receiver that fails is retried with the same webhook-id until it answers 2xx; a redelivery sends it "
            + "again under the same id")
    void retriesAndRedelivery() throws Exception {
        try (Receiver r = new Receiver(n -> n == 1 ? 500 : 204)) {
            String id = JSON.readTree(webhook(r, "QODER", "'balance.low'")).get("id").asString();
            String account = lowAccount("QODER");
            await("a retry", () -> r.received().size() >= 2);
            List<Receiver.Received> got = r.received();
            assertThat(got.get(1).id()).isEqualTo(got.get(0).id());
            assertThat(got.get(1).body()).isEqualTo(got.get(0).body()).contains(account);
            await("delivered", () -> get("/v1/webhooks/" + id + "/deliveries").json().get(0).get("state")
                    .asString().equals("DELIVERED"));
            JsonNode delivery = get("/v1/webhooks/" + id + "/deliveries").json().get(0);
            assertThat(texts(delivery.get("attempts"), "responseCode")).containsExactly("500", "204");
            post("/v1/webhooks/" + id + "/deliveries/" + delivery.get("deliveryId").asLong() + "/redeliver", null)
                    .expect(200);
            await("the redelivery", () -> r.received().size() >= 3);
            assertThat(r.received().get(2).id()).isEqualTo(got.get(0).id());
        }
    }

    @Test
    @DisplayName("A receiver that never answers times out and is retried, then FAILED; meanwhile decisions stay fast "
            + "and another receiver gets its events")
    void silentReceiver() throws Exception {
        try (Receiver silent = new Receiver(n -> 0); Receiver ok = new Receiver(n -> 200)) {
            String id = JSON.readTree(webhook(silent, "QODER_CN", "'balance.low'")).get("id").asString();
            webhook(ok, "QODER_CN", "'balance.low'");
            String account = lowAccount("QODER_CN");
            await("the silent receiver's first attempt", () -> silent.received().size() >= 1);
            long started = System.nanoTime();
            usage(newId("r"), account, "CLI", "1", "2026-07-04T10:00:00+08:00").expect(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("a decision while a receiver hangs (shared machine: generous bound)")
                    .isLessThan(Duration.ofSeconds(2));
            await("the other receiver", () -> ok.received().stream().anyMatch(x -> x.body().contains(account)));
            await("FAILED after the schedule", () -> get("/v1/webhooks/" + id + "/deliveries").json().get(0)
                    .get("state").asString().equals("FAILED"));
            JsonNode attempts = get("/v1/webhooks/" + id + "/deliveries").json().get(0).get("attempts");
            assertThat(attempts.size()).as("the first try and the 2 retries of the schedule").isEqualTo(3);
            assertThat(attempts.get(0).get("error").asString()).contains("no answer within 2 s");
            assertThat(attempts.get(0).get("durationMs").asLong()).isGreaterThanOrEqualTo(1900);
        }
    }

    @Test
    @DisplayName("Realms: a webhook receives only its realms' events; a key of one realm creates, sees and deletes "
            + "only webhooks of its realms")
    void realmSeparation() throws Exception {
        try (Receiver cn = new Receiver(n -> 200); Receiver intl = new Receiver(n -> 200)) {
            String cnHook = JSON.readTree(webhook(cn, "QODER_CN", "'balance.low'")).get("id").asString();
            webhook(intl, "QODER", "'balance.low'");
            String cnAccount = lowAccount("QODER_CN");
            String intlAccount = lowAccount("QODER");
            await("both", () -> cn.received().stream().anyMatch(x -> x.body().contains(cnAccount))
                    && intl.received().stream().anyMatch(x -> x.body().contains(intlAccount)));
            assertThat(cn.received()).noneMatch(x -> x.body().contains("\"realm\":\"QODER\""));
            assertThat(intl.received()).noneMatch(x -> x.body().contains("\"realm\":\"QODER_CN\""));

            String intlAdmin = newKey(newId("intl-admin"), "'admin'", "'QODER'");
            assertProblem(post("/v1/webhooks", json("{'url': '" + cn.url() + "', 'eventTypes': ['balance.low'], "
                    + "'realms': ['QODER_CN']}"), intlAdmin), 403, "forbidden", "realm");
            assertProblem(get("/v1/webhooks/" + cnHook, intlAdmin), 404, "unknown-webhook", "id");
            assertProblem(call("DELETE", "/v1/webhooks/" + cnHook, null, intlAdmin), 404, "unknown-webhook", "id");
            assertThat(get("/v1/webhooks", intlAdmin).expect(200).json().toString()).doesNotContain(cnHook);
            assertThat(get("/v1/webhooks").expect(200).json().toString()).contains(cnHook);
            call("DELETE", "/v1/webhooks/" + cnHook, null, ADMIN).expect(200);
            assertProblem(get("/v1/webhooks/" + cnHook), 404, "unknown-webhook", "id");
        }
    }

    @Test
    @DisplayName("Bad webhooks are refused by field: not http(s), unknown event type, unknown realm, unknown field")
    void refusals() {
        assertProblem(post("/v1/webhooks", json("{'url': 'ftp://example.com/x', 'eventTypes': ['balance.low'], "
                + "'realms': ['QODER']}")), 400, "validation-failed", "url");
        assertProblem(post("/v1/webhooks", json("{'url': 'https://user:pw@example.com/x', 'eventTypes': "
                + "['balance.low'], 'realms': ['QODER']}")), 400, "validation-failed", "url");
        assertProblem(post("/v1/webhooks", json("{'url': 'https://example.com/x', 'eventTypes': ['balance.lo'], "
                + "'realms': ['QODER']}")), 400, "validation-failed", "eventTypes");
        assertProblem(post("/v1/webhooks", json("{'url': 'https://example.com/x', 'eventTypes': ['balance.low'], "
                + "'realms': ['MARS']}")), 400, "validation-failed", "realms");
        assertProblem(post("/v1/webhooks", json("{'url': 'https://example.com/x', 'eventTypes': ['balance.low'], "
                + "'realms': ['QODER'], 'secret': 'mine'}")), 400, "validation-failed", "secret");
        assertProblem(post("/v1/webhooks/wh_x/deliveries/abc/redeliver", null), 400, "validation-failed", "deliveryId");
    }
}

package dev.creditspolicy.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.creditspolicy.webhooks.Receiver;
import dev.creditspolicy.webhooks.StandardWebhooksVerifier;

/**
 * Issue 28: the packaged jar killed with SIGKILL while accounts raise events and a real receiver (slow: 1 s an
 * answer while the kills happen, then quick) is being delivered to; restarted on the same database. Afterwards every
 * event in the outbox reaches the receiver at least once with a valid signature, and the receiver saw no event the
 * outbox does not hold. The test fails when no event was waiting for delivery at any kill: then it would have checked
 * nothing.
 * Settings: {@code -Dcredits.crash.kills=N} (1 here, for CI time; more kills, more rounds),
 * {@code -Dcredits.test.seed=S}.
 */
@DisplayName("Events survive a SIGKILL: every raised event delivered at least once, none invented")
class WebhooksCrashIT {
    private static final int KILLS = Integer.getInteger("credits.crash.kills", 1);
    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String TYPES = "[\"balance.low\", \"balance.recovered\", \"balance.depleted\", "
            + "\"credits.expiring\", \"lot.expiry-shortened\", \"lot.voided\", \"hold.expired\", \"usage.reversed\"]";

    private final long seed = Long.getLong("credits.test.seed", System.nanoTime());
    private final List<ServiceJar> running = new ArrayList<>();
    private final AtomicInteger nextAccount = new AtomicInteger();

    @AfterEach
    void stop() {
        running.forEach(ServiceJar::stop);
        running.clear();
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    @DisplayName("H2 file database, the service's default settings")
    void h2File() throws Exception {
        ServiceJar.onH2File("credits-webhooks-crash-h2", this::run);
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    @DisplayName("PostgreSQL")
    void postgres() throws Exception {
        ServiceJar.onPostgres("WebhooksCrashIT", "whcrash_", this::run);
    }

    private void run(String label, List<String> db, Supplier<Jdbi> ledger) throws Exception {
        Random moments = new Random(seed);
        // slow (1 s an answer) while the kills happen, so deliveries are in flight when the service falls; quick
        // afterwards, so the backlog drains in seconds rather than at two deliveries a second
        AtomicBoolean slow = new AtomicBoolean(true);
        try (Receiver receiver = new Receiver(n -> {
            try {
                Thread.sleep(slow.get() ? 1000 : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 200;
        })) {
            ServiceJar service = start(label, db);
            String body = "{\"url\": \"" + receiver.url() + "\", \"eventTypes\": " + TYPES
                    + ", \"realms\": [\"QODER_CN\"]}";
            ServiceJar.Answer hook = service.post("/v1/webhooks", body);
            // the admin key is made by a runner after the port opens (health is UP a moment before): wait for it
            for (int i = 0; i < 60 && hook.status() == 401; i++) {
                Thread.sleep(500);
                hook = service.post("/v1/webhooks", body);
            }
            ServiceJar.Answer created = hook;
            assertEquals(201, created.status(), () -> "webhook: " + created.json());
            String secret = hook.json().get("secret").asString();
            int waitingAtKills = 0;
            for (int k = 1; k <= KILLS; k++) {
                ExecutorService clients = Executors.newFixedThreadPool(2);
                ServiceJar target = service;
                List<Future<?>> load = List.of(clients.submit(() -> raiseUntilKilled(target)),
                        clients.submit(() -> raiseUntilKilled(target)));
                Thread.sleep(5000 + moments.nextInt(2000));
                assertEquals(137, service.kill(), "a SIGKILLed JVM exits with 128 + 9");
                running.remove(service);
                for (Future<?> f : load) {
                    f.get(60, TimeUnit.SECONDS);
                }
                clients.shutdown();
                waitingAtKills += ledger.get().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM events e WHERE "
                        + "NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq AND d.state = "
                        + "'DELIVERED')").mapTo(Integer.class).one());
                service = start(label, db);
            }
            assertTrue(waitingAtKills > 0, "no event was waiting for delivery at any kill: nothing was checked");
            slow.set(false);
            // the database can be read only once the service stops (an H2 file is the service's alone): wait, over
            // the API, until every delivery is DELIVERED and nothing new arrived for 3 s, then stop and compare
            String hookId = hook.json().get("id").asString();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            int seen = -1;
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                int now = receiver.received().size();
                if (now != seen) {
                    seen = now;
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3) && allDelivered(service,
                        hookId)) {
                    break;
                }
                Thread.sleep(250);
            }
            service.stop();
            running.remove(service);
            Set<String> raised = new HashSet<>(ledger.get().withHandle(h -> h.createQuery("SELECT event_id FROM "
                    + "events").mapTo(String.class).list()));
            Set<String> received = new HashSet<>();
            receiver.received().forEach(r -> received.add(r.id()));
            Set<String> lost = new HashSet<>(raised);
            lost.removeAll(received);
            Set<String> invented = new HashSet<>(received);
            invented.removeAll(raised);
            long duplicates = receiver.received().size() - received.size();
            System.out.printf("WebhooksCrashIT [%s] seed %d: %d kills, %d events raised, %d waiting for delivery at "
                            + "the kills, %d deliveries received (%d repeats), lost %d, invented %d%n", label, seed,
                    KILLS, raised.size(), waitingAtKills, receiver.received().size(), duplicates, lost.size(),
                    invented.size());
            assertEquals(Set.of(), lost, "events raised but never delivered (seed " + seed + ")");
            assertEquals(Set.of(), invented, "events delivered that the outbox does not hold (seed " + seed + ")");
            for (Receiver.Received r : receiver.received()) {
                assertTrue(StandardWebhooksVerifier.verify(secret, r.id(), r.timestamp(), r.signature(), r.body(),
                        r.receivedAtSeconds()), () -> "bad signature on " + r.id());
            }
        }
    }

    /** New accounts whose plan credits go low and then run out (balance.low, balance.depleted) until no answer. */
    private void raiseUntilKilled(ServiceJar service) {
        while (true) {
            String id = "whc-" + seed % 10_000 + "-" + nextAccount.incrementAndGet();
            try {
                service.personalAccount(id, "100", "10", "5");
            } catch (AssertionError killed) {
                return;
            }
            for (String credits : new String[] {"85", "30"}) {
                ServiceJar.Answer a = service.post("/v1/usage", "{\"requestId\": \"" + id + "-" + credits
                        + "\", \"accountId\": \"" + id + "\", \"product\": \"CLI\", \"feature\": \"QUEST_AGENT\", "
                        + "\"model\": \"m\", \"outcome\": \"SUCCEEDED\", \"credits\": " + credits
                        + ", \"occurredAt\": \"2026-07-03T10:00:00+08:00\"}");
                if (a == null) {
                    return;
                }
            }
        }
    }

    /** Whether every delivery of the webhook (at most 1,000, newest first) is DELIVERED. */
    private static boolean allDelivered(ServiceJar service, String hookId) throws Exception {
        java.net.http.HttpResponse<String> r = ServiceJar.HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(service.url("/v1/webhooks/" + hookId + "/deliveries?limit=1000")))
                .header("Authorization", ServiceJar.BEARER).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return false;
        }
        for (var d : ServiceJar.JSON.readTree(r.body())) {
            if (!d.get("state").asString().equals("DELIVERED")) {
                return false;
            }
        }
        return true;
    }

    private ServiceJar start(String label, List<String> db) throws Exception {
        List<String> args = new ArrayList<>(db);
        args.addAll(List.of("--credits.webhooks.secret-key=" + KEY, "--credits.webhooks.retries=1s,1s,1s,1s,1s,1s",
                "--credits.webhooks.poll-ms=100"));
        ServiceJar s = ServiceJar.start("WebhooksCrashIT", label.startsWith("H2") ? "h2" : "pg", args);
        running.add(s);
        ServiceJar.awaitHealthy(List.of(s));
        return s;
    }
}

package dev.creditspolicy.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.support.UsageStory;

/**
 * Issue 26 ("Reports in the database"): 16 viewer-token readers at once of an account with 200,000 decisions, on the
 * packaged jar with a 512 MB heap ({@link ServiceJar} starts every jar with {@code -Xmx512m}), PostgreSQL. Each
 * reader asks the usage report by day and by product over the month and the first 1,000 of the per-call ledger,
 * as a well-behaved client (on 429 or 503 it waits what {@code Retry-After} says). Every answer equals what the
 * database holds, nothing answers another 5xx, and the service is still healthy afterwards.
 */
@DisplayName("16 readers of a 200,000-decision account with a 512 MB heap: every report right, no 500")
class ManyReadersIT {
    private static final int DECISIONS = Integer.getInteger("credits.readers.decisions", 200_000);
    private static final int READERS = 16;
    private static final String ACCOUNT = "many-readers";
    private static final String FROM = "2026-07-01T00:00:00+08:00";
    private static final String TO = "2026-08-01T00:00:00+08:00";

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void sixteenReadersOfABigAccount() throws Exception {
        ServiceJar.onPostgres("ManyReadersIT", "readers_", (label, db, ledger) -> {
            ServiceJar service = ServiceJar.start("ManyReadersIT", "pg", db);
            try {
                ServiceJar.awaitHealthy(List.of(service));
                service.personalAccount(ACCOUNT, "100", "10", "5");
                seed(ledger.get());
                Map<String, String> byDay = expectedByDay(ledger.get());
                String base = service.url("");
                Map<Integer, Integer> refusals = new ConcurrentHashMap<>();
                ExecutorService readers = Executors.newFixedThreadPool(READERS);
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < READERS; i++) {
                    String token = UsageStory.viewerToken(base, ServiceJar.ADMIN_KEY, ACCOUNT, 600);
                    done.add(readers.submit(() -> {
                        read(service, token, byDay, refusals);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(300, TimeUnit.SECONDS);
                }
                readers.shutdown();
                System.out.printf("ManyReadersIT: %d readers of %d decisions, refusals by status %s%n", READERS,
                        DECISIONS, refusals);
                assertTrue(refusals.keySet().stream().allMatch(s -> s == 429 || s == 503),
                        () -> "only 429 and 503 may refuse a reader: " + refusals);
                assertTrue(service.process.isAlive(), "the service is still running");
                assertEquals(200, get(service, ServiceJar.BEARER, "/actuator/health").statusCode());
            } finally {
                service.stop();
            }
        });
    }

    /** The decisions, written straight to the ledger (an HTTP seeding of 200,000 calls would take minutes). */
    private static void seed(Jdbi ledger) {
        ledger.useHandle(h -> h.execute("INSERT INTO usage_decisions (request_id, account_id, realm, product, "
                + "feature, model, outcome, credits, occurred_at, plan, status, reason, charged, shortfall, "
                + "balance_after, rules_version, fired_rules, request_hash, recorded_at) SELECT 'mr-' || g, ?, "
                + "'QODER_CN', (ARRAY['CLI','IDE','QODERWORK'])[1 + g % 3], 'QUEST_AGENT', 'm', 'SUCCEEDED', "
                + "0.0125 * (g % 7), TIMESTAMPTZ '2026-07-01 00:00:00+08' + g * INTERVAL '13 seconds', "
                + "'PERSONAL_PRO', 'CHARGED', 'CHARGED', 0.0125 * (g % 7), 0, 0, 'seeded', '[]', 'seeded', now() "
                + "FROM generate_series(1, ?) g", ACCOUNT, DECISIONS));
    }

    /** Day -> "calls credits", from the ledger itself, in the readers' zone. */
    private static Map<String, String> expectedByDay(Jdbi ledger) {
        Map<String, String> days = new TreeMap<>();
        ledger.useHandle(h -> h.createQuery("SELECT to_char(occurred_at AT TIME ZONE 'Asia/Shanghai', "
                        + "'YYYY-MM-DD') AS day, COUNT(*) AS n, SUM(charged) AS c FROM usage_decisions WHERE "
                        + "account_id = :a AND occurred_at < TIMESTAMPTZ '2026-08-01 00:00:00+08' GROUP BY 1")
                .bind("a", ACCOUNT).map((rs, ctx) -> days.put(rs.getString("day"), rs.getLong("n") + " "
                        + rs.getBigDecimal("c").stripTrailingZeros().toPlainString())).list());
        assertTrue(days.size() >= 28, "the seeded decisions cover the month");
        return days;
    }

    private static void read(ServiceJar service, String token, Map<String, String> byDay,
                             Map<Integer, Integer> refusals) throws Exception {
        String range = "?from=" + enc(FROM) + "&to=" + enc(TO) + "&zone=" + enc("Asia/Shanghai");
        JsonNode days = answer(service, token, "/v1/accounts/" + ACCOUNT + "/usage" + range + "&groupBy=day",
                refusals);
        Map<String, String> seen = new TreeMap<>();
        days.get("groups").forEach(g -> seen.put(g.get("key").asString(), g.get("calls").asLong() + " "
                + g.get("creditsCharged").decimalValue().stripTrailingZeros().toPlainString()));
        assertEquals(byDay, seen, "the usage report by day");
        JsonNode products = answer(service, token, "/v1/accounts/" + ACCOUNT + "/usage" + range
                + "&groupBy=product", refusals);
        long calls = 0;
        for (JsonNode g : products.get("groups")) {
            calls += g.get("calls").asLong();
        }
        assertEquals(byDay.values().stream().mapToLong(v -> Long.parseLong(v.split(" ")[0])).sum(), calls,
                "the report by product counts every call of the month");
        JsonNode page = answer(service, token, "/v1/accounts/" + ACCOUNT + "/usage-decisions?from=" + enc(FROM)
                + "&to=" + enc(TO) + "&limit=1000", refusals);
        assertEquals(1000, page.size(), "a full page of the per-call ledger");
        BigDecimal first = page.get(0).get("charged").decimalValue();
        assertTrue(first.signum() >= 0);
    }

    /** The answer's body once it is 200; a 429 or 503 waits its Retry-After and asks again (counted). */
    private static JsonNode answer(ServiceJar service, String token, String path, Map<Integer, Integer> refusals)
            throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            HttpResponse<String> r = get(service, "Bearer " + token, path);
            if (r.statusCode() == 200) {
                return ServiceJar.JSON.readTree(r.body());
            }
            refusals.merge(r.statusCode(), 1, Integer::sum);
            if (r.statusCode() != 429 && r.statusCode() != 503) {
                throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            long wait = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow(
                    () -> new AssertionError(r.statusCode() + " without Retry-After")));
            Thread.sleep(TimeUnit.SECONDS.toMillis(Math.max(1, wait)));
        }
        throw new AssertionError("GET " + path + " was refused 200 times");
    }

    private static HttpResponse<String> get(ServiceJar service, String authorization, String path) throws Exception {
        return ServiceJar.HTTP.send(HttpRequest.newBuilder(URI.create(service.url(path)))
                .timeout(Duration.ofSeconds(120)).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

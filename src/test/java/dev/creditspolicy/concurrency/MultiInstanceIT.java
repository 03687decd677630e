package dev.creditspolicy.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.concurrency.LedgerInvariants.Answered;
import dev.creditspolicy.concurrency.LedgerInvariants.Summary;

/**
 * The packaged jar, started as separate JVMs: two instances on one PostgreSQL schema, then one instance on an H2
 * file database. Twenty-four HTTP clients send usage for the same three accounts to either instance at random,
 * including a retry of a request id from another client to the other instance at the same time, a retry to the
 * other instance once answered (in another but equivalent form), a retry with another body, and first sends of one
 * request id for two accounts to both instances at once (one wins, the other is a conflict). Then the ledger is
 * audited over JDBC ({@link LedgerInvariants}) and no answer may be a 5xx. Some charges are reversed while the load
 * goes on (SPEC section 7), each reversal retried on the other instance with the same body (the first answer again)
 * and sometimes with another (409). Instance logs go to
 * {@code <build dir>/it-logs/}. The PostgreSQL is the test command's ({@code CREDITS_TEST_PG_URL}); without it the
 * PostgreSQL case is skipped, loudly, unless {@code credits.test.pg.required} (or {@code CREDITS_TEST_PG_REQUIRED}). {@code -Dcredits.it.requests=N} sets the number of request ids.
 */
@DisplayName("Instances of the packaged jar on one database, under concurrent HTTP load")
class MultiInstanceIT {
    private static final int CLIENTS = 24;
    private static final int REQUEST_IDS = Integer.getInteger("credits.it.requests", 1200);
    private static final OffsetDateTime CALLS_FROM = OffsetDateTime.parse("2026-07-10T09:00:00+08:00");
    private static final List<String> ACCOUNTS = List.of("rich", "mid", "poor");
    private static final List<String> PRODUCTS = List.of("IDE", "CLI", "JETBRAINS", "QODERWORK");
    private static final JsonMapper JSON = ServiceJar.JSON;

    /** A request id's body, and the instance its first send went to (a retry goes to the other one). */
    private record Pending(String body, int instance) {
    }

    /** An answer: status, body, and whether it was marked as the replay of an earlier answer. */
    private record Reply(int status, JsonNode json, boolean replayed) {
        boolean isConflict() {
            return status == 409 && json.path("type").asString().endsWith("/idempotency-conflict");
        }
    }

    private final List<ServiceJar> instances = new ArrayList<>();
    private final long seed = Long.getLong("credits.test.seed", System.nanoTime());
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final Map<String, List<Reply>> answers = new ConcurrentHashMap<>();
    private final Map<String, String> accountOf = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Pending> sharedRetries = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sends = new AtomicInteger();
    private final AtomicInteger conflictsSent = new AtomicInteger();
    private final Set<String> racing = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> racingRefused = new ConcurrentHashMap<>();
    /** Reversals (SPEC section 7): every answer to each reversed request id, and what the first one gave back. */
    private final Map<String, List<Reply>> reversalAnswers = new ConcurrentHashMap<>();
    private final AtomicInteger reversalsSent = new AtomicInteger();

    @AfterEach
    void stopInstances() {
        instances.forEach(ServiceJar::stop);
        instances.clear();
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    @DisplayName("two instances on one PostgreSQL schema")
    void twoInstancesOnPostgres() throws Exception {
        ServiceJar.requirePostgres("MultiInstanceIT");
        String schema = ServiceJar.freshPostgresSchema("it_");
        List<String> db = ServiceJar.postgresArgs(schema);
        start("pg-1", db);
        start("pg-2", db);
        ServiceJar.awaitHealthy(instances);

        run("2 instances on PostgreSQL (schema " + schema + ")",
                Jdbi.create(ServiceJar.postgresUrl(schema), ServiceJar.PG_USER, ""));

        ServiceJar.dropPostgresSchema(schema); // only once the checks passed: a failure keeps it
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    @DisplayName("one instance on an H2 file database, checked through AUTO_SERVER")
    void oneInstanceOnH2File() throws Exception {
        Path dir = Files.createTempDirectory("credits-it-h2");
        try {
            String url = "jdbc:h2:file:" + dir.resolve("db") + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000";
            start("h2-1", List.of("--spring.datasource.url=" + url, "--spring.datasource.username=sa",
                    "--spring.datasource.password="));
            ServiceJar.awaitHealthy(instances);

            run("1 instance on H2 file", Jdbi.create(url, "sa", ""));
        } finally {
            stopInstances();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Sets up the accounts, sends the load, prints the figures and audits the ledger. */
    private void run(String label, Jdbi jdbi) throws Exception {
        setUpAccounts();
        long startedNs = System.nanoTime();
        load();
        long elapsedMs = (System.nanoTime() - startedNs) / 1_000_000;
        Map<Integer, Integer> counts = new TreeMap<>();
        statuses.forEach((status, n) -> counts.put(status, n.get()));
        System.out.printf("MultiInstanceIT [%s] seed %d: %d requests (%d request ids, %d conflicting retries, "
                        + "%d racing conflicts, %d reversal sends for %d decisions), statuses %s, %d ms, "
                        + "%.0f requests/s%n", label, seed, sends.get(), REQUEST_IDS, conflictsSent.get(),
                racing.size(), reversalsSent.get(), reversalAnswers.size(), counts, elapsedMs,
                sends.get() * 1000.0 / Math.max(1, elapsedMs));

        assertEquals(List.of(), List.copyOf(problems),
                "unexpected answers (seed " + seed + "); see " + ServiceJar.LOGS);
        assertEquals(0, counts.keySet().stream().filter(s -> s >= 500 || s < 0).count(),
                "no 5xx and no transport error: " + counts);
        for (String id : racing) {
            assertEquals(1, racingRefused.getOrDefault(id, new AtomicInteger()).get(),
                    "of the two racing first sends of " + id + " for different accounts, one is refused");
        }
        assertEquals(conflictsSent.get() + racing.size(), counts.getOrDefault(409, 0),
                "409 only for conflicting retries and the losers of racing first sends");
        assertEquals(sends.get() - conflictsSent.get() - racing.size(), counts.getOrDefault(200, 0),
                "every other send 200");

        Summary s = LedgerInvariants.check(jdbi, firstAnswers());
        LedgerInvariants.checkReversals(jdbi, firstReversals());
        assertTrue(reversalAnswers.size() > 0, "some charges were reversed under the load");
        System.out.printf("MultiInstanceIT [%s]: decisions %s, charged %s, remaining %s%n", label, s.byStatus(),
                s.totalCharged(), s.remainingByAccount());
        assertEquals(REQUEST_IDS, s.decisions(), "one decision per request id");
        assertTrue(s.byStatus().getOrDefault("CHARGED", 0) > 0, "some calls charged");
        assertTrue(s.byStatus().getOrDefault("INSUFFICIENT", 0) > 0, "accounts ran out under contention");
        for (String account : List.of("mid", "poor")) {
            assertTrue(s.remainingByAccount().get(account).compareTo(new BigDecimal("20")) < 0,
                    account + " was drained: " + s.remainingByAccount().get(account) + " left");
        }
    }

    // ---- the load

    private void load() throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Random pick = new Random(seed - c);
            clients.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < REQUEST_IDS; i = next.getAndIncrement()) {
                    request(i, new Random(seed + i));
                    Pending other = pick.nextBoolean() ? sharedRetries.poll() : null;
                    if (other != null) {
                        usage(otherThan(other.instance()), other.body(), 200);
                    }
                }
                return null;
            }));
        }
        for (Future<?> c : clients) {
            c.get(500, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Pending p;
        while ((p = sharedRetries.poll()) != null) {
            usage(otherThan(p.instance()), p.body(), 200);
        }
    }

    /** Request id {@code i}: sent to a random instance, sometimes retried (at once or later) or reused. */
    private void request(int i, Random rnd) {
        String id = "it-" + i;
        int accountIndex = rnd.nextInt(ACCOUNTS.size());
        String account = ACCOUNTS.get(accountIndex);
        BigDecimal credits = BigDecimal.valueOf(rnd.nextInt(1, 200_001), 4);
        String product = PRODUCTS.get(rnd.nextInt(PRODUCTS.size()));
        String outcome = rnd.nextInt(10) == 0 ? "FAILED" : "SUCCEEDED";
        OffsetDateTime at = CALLS_FROM.plusSeconds(i);
        int instance = rnd.nextInt(instances.size());
        int other = otherThan(instance);
        String body = usageBody(id, account, product, outcome, credits.stripTrailingZeros().toPlainString(),
                at.toString());
        int dice = rnd.nextInt(100);
        if (dice < 15) {
            sharedRetries.add(new Pending(body, instance));
        } else if (dice >= 28 && dice < 31) {
            racing.add(id);
            sharedRetries.add(new Pending(usageBody(id, ACCOUNTS.get((accountIndex + 1) % ACCOUNTS.size()), product,
                    outcome, credits.stripTrailingZeros().toPlainString(), at.toString()), instance));
        }
        Reply first = usage(instance, body, 200);
        if (dice >= 31 && dice < 39 && i < REQUEST_IDS * 3 / 4 && first != null && first.status() == 200
                && first.json().path("status").asString().equals("CHARGED")) {
            reverseAndRetry(id, at, rnd);
        }
        if (dice >= 15 && dice < 25) {
            Reply again = usage(other, usageBody(id, account, product, outcome, credits.setScale(4)
                    .toPlainString(), at.withOffsetSameInstant(ZoneOffset.UTC).toString()), 200);
            if (again != null && again.status() == 200 && !again.replayed()) {
                problems.add("a retry of " + id + " after its answer was not marked replayed");
            }
        } else if (dice >= 25 && dice < 28) {
            conflictsSent.incrementAndGet();
            Reply refused = usage(other, usageBody(id, account, product, outcome,
                    credits.add(BigDecimal.ONE).toPlainString(), at.toString()), 409);
            if (refused != null && refused.status() == 409 && !refused.isConflict()) {
                problems.add("conflicting retry of " + id + " answered " + refused.json());
            }
        }
    }

    /**
     * Reverses a charge (while the other clients keep charging the same account), then retries the reversal on the
     * other instance: the same body in another form answers the first reversal, another body (a third of the time)
     * 409.
     */
    private void reverseAndRetry(String id, OffsetDateTime at, Random rnd) {
        int instance = rnd.nextInt(instances.size());
        reversal(instance, id, "{\"at\": \"" + at.plusHours(1) + "\", \"reason\": \"the call failed\"}", 200);
        reversal(otherThan(instance), id, "{\"at\": \"" + at.plusHours(1).withOffsetSameInstant(ZoneOffset.UTC)
                + "\", \"reason\": \"the call failed\"}", 200);
        if (rnd.nextInt(3) == 0) {
            conflictsSent.incrementAndGet();
            Reply refused = reversal(otherThan(instance), id, "{\"at\": \"" + at.plusHours(2)
                    + "\", \"reason\": \"another reason\"}", 409);
            if (refused != null && refused.status() == 409 && !refused.isConflict()) {
                problems.add("conflicting reversal of " + id + " answered " + refused.json());
            }
        }
    }

    /** One POST /v1/usage/{id}/reversal, counted with the other sends. */
    private Reply reversal(int instance, String requestId, String body, int expected) {
        sends.incrementAndGet();
        reversalsSent.incrementAndGet();
        Reply reply = send(instance, "/v1/usage/" + requestId + "/reversal", body);
        if (reply == null) {
            return null;
        }
        if (reply.status() != expected) {
            problems.add(instances.get(instance).name + " answered " + reply.status() + " (expected " + expected
                    + ") to the reversal " + body + " of " + requestId + ": " + reply.json());
        } else if (expected == 200) {
            reversalAnswers.computeIfAbsent(requestId, k -> new CopyOnWriteArrayList<>()).add(reply);
        }
        return reply;
    }

    /** Every send of a reversal answered the same reversal, and exactly one of them made it. */
    private Map<String, BigDecimal> firstReversals() {
        Map<String, BigDecimal> first = new HashMap<>();
        reversalAnswers.forEach((id, list) -> {
            List<Reply> made = list.stream().filter(r -> !r.replayed()).toList();
            assertEquals(1, made.size(), () -> "reversal of " + id + " made by " + made.size() + " sends: " + list);
            for (Reply r : list) {
                assertEquals(made.get(0).json(), r.json(), () -> "sends of the reversal of " + id + " differ");
            }
            assertEquals("REVERSED", made.get(0).json().path("status").asString());
            first.put(id, made.get(0).json().path("reversed").decimalValue());
        });
        return first;
    }

    /** One POST /v1/usage: counts its status, notes what was not expected, and keeps a 200's decision. */
    private Reply usage(int instance, String body, int expected) {
        sends.incrementAndGet();
        Reply reply = send(instance, "/v1/usage", body);
        if (reply == null) {
            return null;
        }
        JsonNode sent = JSON.readTree(body);
        String id = sent.path("requestId").asString();
        if (reply.status() == 409 && expected == 200 && racing.contains(id) && reply.isConflict()) {
            racingRefused.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        } else if (reply.status() != expected) {
            problems.add(instances.get(instance).name + " answered " + reply.status() + " (expected " + expected
                    + ") to " + body + ": " + reply.json());
        } else if (expected == 200) {
            accountOf.put(id, sent.path("accountId").asString());
            answers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(reply);
        }
        return reply;
    }

    /** One POST through {@link ServiceJar#post}, its status counted; null (counted as -1) when nothing answered. */
    private Reply send(int instance, String path, String body) {
        ServiceJar.Answer a = instances.get(instance).post(path, body);
        if (a == null) {
            statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
            problems.add("no answer from " + instances.get(instance).name + " to POST " + path);
            return null;
        }
        statuses.computeIfAbsent(a.status(), k -> new AtomicInteger()).incrementAndGet();
        return new Reply(a.status(), a.json(), a.replayed());
    }

    /** Every send of a request id was answered the same decision, and exactly one of them made it. */
    private Map<String, Answered> firstAnswers() {
        Map<String, Answered> first = new HashMap<>();
        answers.forEach((id, list) -> {
            List<Reply> made = list.stream().filter(r -> !r.replayed()).toList();
            assertEquals(1, made.size(), () -> id + " decided by " + made.size() + " of its sends: " + list);
            JsonNode d = made.get(0).json();
            for (Reply r : list) {
                assertEquals(d, r.json(), () -> "sends of " + id + " answered different decisions");
            }
            first.put(id, new Answered(accountOf.get(id), d.path("status").asString(),
                    d.path("charged").decimalValue(), d.path("shortfall").decimalValue(),
                    d.path("balanceAfter").decimalValue()));
        });
        return first;
    }

    /** The instance a retry goes to: the other one, when there are two. */
    private int otherThan(int instance) {
        return instances.size() == 1 ? 0 : 1 - instance;
    }

    // ---- set-up over HTTP

    private void setUpAccounts() throws Exception {
        instances.get(0).personalAccount("rich", "8000", "4000", "2000");
        instances.get(0).personalAccount("mid", "150", "100", "50.5");
        instances.get(0).personalAccount("poor", "40", "30", "20.25");
    }

    private static String usageBody(String id, String account, String product, String outcome, String credits,
                                    String occurredAt) {
        return "{\"requestId\": \"" + id + "\", \"accountId\": \"" + account + "\", \"product\": \"" + product
                + "\", \"feature\": \"EDITOR_AGENT\", \"model\": \"qwen3-coder\", \"outcome\": \"" + outcome
                + "\", \"credits\": " + credits + ", \"occurredAt\": \"" + occurredAt + "\"}";
    }

    // ---- the processes

    private void start(String name, List<String> dbArgs) throws IOException {
        instances.add(ServiceJar.start("MultiInstanceIT", name, dbArgs));
    }
}

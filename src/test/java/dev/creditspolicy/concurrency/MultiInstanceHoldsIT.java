package dev.creditspolicy.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.creditspolicy.concurrency.LedgerInvariants.HoldSummary;
import dev.creditspolicy.concurrency.ServiceJar.Answer;

/**
 * Issue 14: two instances of the packaged jar on one PostgreSQL schema; sixteen clients hold credits on the same
 * three small accounts, then commit (less, equal or more than held, or failed) or release, each step sent to a random
 * instance and retried on the other one (same body: the same answer, marked replayed; another body: 409). The
 * accounts run out, so holds are refused and commits draw excess that is not there. While the load runs, a watcher
 * reads the ledger over JDBC: no lot's open holds may ever reserve more than it has left. Afterwards the ledger is
 * audited ({@link LedgerInvariants#checkHolds}): no lot negative, a hold settled at most once, every commit's charge
 * equal to its allocations and to what its client was told. Without PostgreSQL it is skipped, loudly, unless
 * {@code credits.test.pg.required}. {@code -Dcredits.it.holds=N} sets the number of holds.
 */
@DisplayName("Two instances on one PostgreSQL: concurrent holds and commits never overspend")
class MultiInstanceHoldsIT {
    private static final int CLIENTS = 16;
    private static final int HOLDS = Integer.getInteger("credits.it.holds", 600);
    private static final OffsetDateTime CALLS_FROM = OffsetDateTime.parse("2026-07-10T09:00:00+08:00");
    private static final List<String> ACCOUNTS = List.of("mh-a", "mh-b", "mh-c");

    private final List<ServiceJar> instances = new ArrayList<>();
    private final long seed = Long.getLong("credits.test.seed", System.nanoTime());
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> committed = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicInteger watched = new AtomicInteger();

    @AfterEach
    void stopInstances() {
        instances.forEach(ServiceJar::stop);
        instances.clear();
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    @DisplayName("16 clients, 2 instances, 3 accounts, retries on the other instance")
    void holdsOnTwoInstances() throws Exception {
        ServiceJar.requirePostgres("MultiInstanceHoldsIT");
        String schema = ServiceJar.freshPostgresSchema("ith_");
        List<String> db = ServiceJar.postgresArgs(schema);
        instances.add(ServiceJar.start("MultiInstanceHoldsIT", "pg-1", db));
        instances.add(ServiceJar.start("MultiInstanceHoldsIT", "pg-2", db));
        ServiceJar.awaitHealthy(instances);
        for (String id : ACCOUNTS) {
            instances.get(0).personalAccount(id, "60", "40", "20.5");
        }
        Jdbi jdbi = Jdbi.create(ServiceJar.postgresUrl(schema), ServiceJar.PG_USER, "");

        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = new Thread(() -> watch(jdbi, done), "over-reservation-watcher");
        watcher.start();
        long startedNs = System.nanoTime();
        load();
        long elapsedMs = (System.nanoTime() - startedNs) / 1_000_000;
        done.set(true);
        watcher.join(30_000);

        System.out.printf("MultiInstanceHoldsIT seed %d: %d holds in %d ms, outcomes %s, the watcher read the "
                + "ledger %d times%n", seed, HOLDS, elapsedMs, new TreeMap<>(outcomes), watched.get());
        assertEquals(List.of(), List.copyOf(problems), "unexpected answers or over-reservations (seed " + seed
                + "); see " + ServiceJar.LOGS);
        assertTrue(watched.get() > 0, "the watcher never read the ledger while the load ran");
        for (String expected : List.of("HELD", "INSUFFICIENT", "CHARGED", "EXEMPT", "RELEASED", "HOLD_EXCEEDED")) {
            assertTrue(outcomes.containsKey(expected), "the load produced " + expected + ": " + outcomes);
        }

        HoldSummary s = LedgerInvariants.checkHolds(jdbi, committed);
        System.out.printf("MultiInstanceHoldsIT: holds %s, charged %s%n", s.byState(), s.charged());
        assertEquals(HOLDS, s.holds(), "one hold per hold id");
        assertEquals(0, s.byState().getOrDefault("OPEN", 0), "every hold made was settled");
        ServiceJar.dropPostgresSchema(schema); // only once the checks passed: a failure keeps it
    }

    /** Reads the ledger in a loop until {@code done}: no lot is ever reserved beyond what it has left. */
    private void watch(Jdbi jdbi, AtomicBoolean done) {
        try (Handle h = jdbi.open()) {
            while (!done.get()) {
                List<String> over = h.inTransaction(tx -> LedgerInvariants.overReserved(tx));
                if (!over.isEmpty()) {
                    problems.add("open holds reserve more than remains on " + over);
                }
                watched.incrementAndGet();
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void load() throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < HOLDS; i = next.getAndIncrement()) {
                    holdAndSettle(i, new SplittableRandom(seed + i));
                }
                return null;
            }));
        }
        for (Future<?> c : clients) {
            c.get(500, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    /** Hold number {@code i}: made on one instance, retried on the other, settled likewise. */
    private void holdAndSettle(int i, SplittableRandom rnd) {
        String id = "mh-" + i;
        OffsetDateTime at = CALLS_FROM.plusSeconds(i);
        BigDecimal credits = BigDecimal.valueOf(rnd.nextInt(1, 40_001), 4);
        String body = "{\"holdId\": \"" + id + "\", \"accountId\": \"" + ACCOUNTS.get(rnd.nextInt(ACCOUNTS.size()))
                + "\", \"product\": \"CLI\", \"feature\": \"QUEST_AGENT\", \"model\": \"qwen3-coder\", \"credits\": "
                + plain(credits) + ", \"occurredAt\": \"" + at + "\", \"ttlSeconds\": 86400}";
        int first = rnd.nextInt(2);
        Answer hold = once(id, "/v1/holds", body, first);
        if (hold == null) {
            return;
        }
        count(hold.json().path("status").asString());
        if (!hold.json().path("status").asString().equals("HELD")) {
            return;
        }
        int dice = rnd.nextInt(10);
        String settleAt = at.plusSeconds(20).toString();
        String path = "/v1/holds/" + id + (dice < 2 ? "/release" : "/commit");
        BigDecimal actual = credits.multiply(BigDecimal.valueOf(rnd.nextInt(50, 181), 2)).setScale(4,
                RoundingMode.HALF_UP);
        String settleBody = dice < 2 ? "{\"occurredAt\": \"" + settleAt + "\"}"
                : "{\"outcome\": \"" + (dice == 2 ? "FAILED" : "SUCCEEDED") + "\", \"credits\": " + plain(actual)
                + ", \"occurredAt\": \"" + settleAt + "\"}";
        Answer settle = once(id, path, settleBody, rnd.nextInt(2));
        if (settle == null) {
            return;
        }
        count(settle.json().path("status").asString());
        if (settle.json().path("reason").asString("").equals("HOLD_EXCEEDED")) {
            count("HOLD_EXCEEDED");
        }
        if (path.endsWith("/commit")) {
            committed.put(id, settle.json().path("charged").decimalValue());
        }
        // a settlement with another body is refused: the hold is settled (or the body conflicts)
        Answer other = instances.get(rnd.nextInt(2)).post(path, dice < 2 ? "{\"occurredAt\": \""
                + at.plusSeconds(21) + "\"}" : "{\"outcome\": \"SUCCEEDED\", \"credits\": 0.0001, \"occurredAt\": \""
                + settleAt + "\"}");
        if (other == null || other.status() != 409) {
            problems.add("a settlement of " + id + " with another body answered " + (other == null ? "nothing"
                    : other.status() + ": " + other.json()));
        }
    }

    /**
     * A first send to instance {@code first} and a retry of the same body to the other one: both 200, the same
     * decision, the retry marked replayed. Answers the first answer, or null (noted) when either was not a 200.
     */
    private Answer once(String id, String path, String body, int first) {
        Answer a = instances.get(first).post(path, body);
        Answer again = instances.get(1 - first).post(path, body);
        if (a == null || a.status() != 200 || again == null || again.status() != 200) {
            problems.add(path + " for " + id + " answered " + describe(a) + ", its retry " + describe(again));
            return null;
        }
        if (a.replayed() || !again.replayed() || !again.json().equals(a.json())) {
            problems.add(path + " for " + id + ": first " + a + ", retry " + again);
        }
        return a;
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
    }

    private static String describe(Answer a) {
        return a == null ? "nothing" : a.status() + " " + a.json();
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }
}

package dev.creditspolicy.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.concurrency.LedgerInvariants.Answered;
import dev.creditspolicy.concurrency.LedgerInvariants.Summary;

/**
 * Issue 12: the packaged jar killed with SIGKILL under load and restarted on the same database. Eight clients send
 * usage with unique request ids; at seeded moments the service is killed ({@link ServiceJar#kill()}, exit value
 * 137), restarted on the same database, and every request id of the round is sent again with the same body. Every
 * answer given before the kill (an acknowledged decision) must come back from the stored decision (header
 * {@code Idempotent-Replayed: true}, the same JSON): an acknowledged decision missing after the restart would be
 * decided, and charged, a second time. A request in flight at the kill may or may not have been committed; its
 * retry is either replayed or decided for the first time, never twice. At the end the ledger is audited
 * ({@link LedgerInvariants}: lots, allocations, totals, serial order, one decision per request id). Some charges
 * are reversed under load (SPEC section 7); after each restart every reversal of the round is sent again: one
 * acknowledged before the kill must come back replayed, and no reversal is ever applied twice.
 *
 * <p>The H2 case runs the default database of the service (only {@code credits.data-dir} is given, so the URL and
 * its settings are the ones of application.properties); the PostgreSQL case runs on a fresh schema of the test
 * command's PostgreSQL and is skipped, loudly, without one (unless {@code credits.test.pg.required}). The test fails
 * when a round acknowledged nothing in the half second before its kill: then it would have checked nothing.
 * Settings: {@code -Dcredits.crash.kills=N} (2; CI time: each kill costs a restart), {@code -Dcredits.test.seed=S}.
 */
@DisplayName("The packaged jar killed with SIGKILL under load and restarted: acknowledged decisions survive")
class CrashIT {
    private static final int CLIENTS = 8;
    private static final int KILLS = Integer.getInteger("credits.crash.kills", 2);
    /** A kill comes this long after the load of a round started, plus a seeded part of {@link #KILL_SPREAD_MS}. */
    private static final int KILL_AFTER_MS = 1200;
    private static final int KILL_SPREAD_MS = 1000;
    private static final long WINDOW_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final OffsetDateTime CALLS_FROM = OffsetDateTime.parse("2026-07-10T09:00:00+08:00");
    private static final List<String> ACCOUNTS = List.of("crash-a", "crash-b", "crash-c", "crash-d");
    private static final List<String> PRODUCTS = List.of("IDE", "CLI", "JETBRAINS", "QODERWORK");

    /** An answer to one send: status, body, marked replayed or not, and when it arrived. */
    private record Reply(int status, JsonNode json, boolean replayed, long atNs) {
    }

    /** What one round saw. */
    private record Round(int sent, int acked, int ackedCharged, int ackedInWindow, int inFlight,
                         int inFlightCommitted, int lost, int lostCharged, long loadMs, double restartSeconds) {
    }

    private final long seed = Long.getLong("credits.test.seed", System.nanoTime());
    private final List<ServiceJar> running = new ArrayList<>();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final Map<String, String> accountOf = new ConcurrentHashMap<>();
    private final Map<String, List<Reply>> answers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicInteger sends = new AtomicInteger();
    /** Reversals (SPEC section 7): some charges are reversed under load; their bodies, answers and this round's. */
    private final Map<String, String> reversalBodies = new ConcurrentHashMap<>();
    private final Map<String, List<Reply>> reversalAnswers = new ConcurrentHashMap<>();
    private final Set<String> roundReversals = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reversalsAcked = new AtomicInteger();
    private final AtomicInteger reversalsLost = new AtomicInteger();

    @AfterEach
    void stop() {
        running.forEach(ServiceJar::stop);
        running.clear();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @DisplayName("H2 file database, the service's default settings")
    void h2File() throws Exception {
        ServiceJar.onH2File("credits-crash-h2", this::run);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @DisplayName("PostgreSQL")
    void postgres() throws Exception {
        ServiceJar.onPostgres("CrashIT", "crash_", this::run);
    }

    /** Set-up, then {@link #KILLS} rounds of load, kill, restart and retries; then the figures and the audit. */
    private void run(String label, List<String> db, Supplier<Jdbi> ledger) throws Exception {
        Random moments = new Random(seed);
        ServiceJar service = start(label, db);
        setUpAccounts(service);
        List<Round> rounds = new ArrayList<>();
        for (int k = 1; k <= KILLS; k++) {
            int killAfter = KILL_AFTER_MS + moments.nextInt(KILL_SPREAD_MS);
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            long loadStart = System.nanoTime();
            List<Future<?>> clients = load(service, sentAt);
            Thread.sleep(killAfter);
            long killNs = System.nanoTime();
            int exit = service.kill();
            running.remove(service);
            assertEquals(137, exit, "a SIGKILLed JVM exits with 128 + 9");
            for (Future<?> c : clients) {
                c.get(60, TimeUnit.SECONDS);
            }
            long loadMs = (killNs - loadStart) / 1_000_000;

            long restartNs = System.nanoTime();
            service = start(label, db);
            double restartSeconds = (System.nanoTime() - restartNs) / 1e9;
            rounds.add(retryAfterRestart(service, sentAt.keySet(), killNs, loadMs, restartSeconds));
            retryReversalsAfterRestart(service);
        }

        service.stop();
        running.remove(service);

        int acked = rounds.stream().mapToInt(Round::acked).sum();
        int inWindow = rounds.stream().mapToInt(Round::ackedInWindow).sum();
        int lost = rounds.stream().mapToInt(Round::lost).sum();
        int lostCharged = rounds.stream().mapToInt(Round::lostCharged).sum();
        int loadRequests = rounds.stream().mapToInt(Round::sent).sum();
        long loadMs = rounds.stream().mapToLong(Round::loadMs).sum();
        System.out.printf("CrashIT [%s] seed %d: %d kills, %d requests (%d under load at %.0f/s, the rest "
                        + "set-up and retries), %d acknowledged before a kill and checked after the restart "
                        + "(%d CHARGED, %d in the last 0.5 s before a kill), %d in flight at a kill (%d of them "
                        + "committed), lost %d (%d CHARGED); restarts %s s%n", label, seed, KILLS, sends.get(),
                loadRequests, loadRequests * 1000.0 / Math.max(1, loadMs), acked,
                rounds.stream().mapToInt(Round::ackedCharged).sum(), inWindow,
                rounds.stream().mapToInt(Round::inFlight).sum(),
                rounds.stream().mapToInt(Round::inFlightCommitted).sum(), lost, lostCharged,
                rounds.stream().map(r -> String.format("%.1f", r.restartSeconds())).toList());

        System.out.printf("CrashIT [%s]: the database is kept if a check fails: %s%n", label, db);
        assertEquals(List.of(), List.copyOf(problems), "unexpected answers (seed " + seed + "); see "
                + ServiceJar.LOGS);
        System.out.printf("CrashIT [%s]: %d reversals sent, %d acknowledged before a kill and replayed after the "
                + "restart, lost %d%n", label, reversalBodies.size(), reversalsAcked.get(), reversalsLost.get());
        assertEquals(0, reversalsLost.get(), "acknowledged reversals applied again after a restart");
        assertTrue(reversalsAcked.get() > 0, "no reversal was acknowledged before a kill: nothing was checked");
        assertEquals(0, lost, lost + " acknowledged decisions (" + lostCharged + " CHARGED) were not in the ledger "
                + "after the restart and were decided again (seed " + seed + ")");
        for (int k = 0; k < rounds.size(); k++) {
            assertTrue(rounds.get(k).ackedInWindow() > 0, "kill " + (k + 1) + " came when nothing had been "
                    + "acknowledged for 0.5 s: it checked nothing (" + rounds.get(k) + ")");
        }

        Summary s = LedgerInvariants.check(ledger.get(), decidedAnswers());
        LedgerInvariants.checkReversals(ledger.get(), reversedAnswers());
        System.out.printf("CrashIT [%s]: decisions %s, charged %s, remaining %s%n", label, s.byStatus(),
                s.totalCharged(), s.remainingByAccount());
        assertEquals(nextId.get(), s.decisions(), "one decision per request id sent");
        assertTrue(s.byStatus().getOrDefault("CHARGED", 0) > 0, "some calls charged");
    }

    private ServiceJar start(String label, List<String> db) throws Exception {
        ServiceJar s = ServiceJar.start("CrashIT", label.startsWith("H2") ? "h2" : "pg", db);
        running.add(s);
        ServiceJar.awaitHealthy(List.of(s));
        return s;
    }

    // ---- the load, the kill, the retries

    /** {@link #CLIENTS} clients sending new request ids until the service stops answering. */
    private List<Future<?>> load(ServiceJar service, Map<String, Long> sentAt) {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                while (true) {
                    int i = nextId.getAndIncrement();
                    String id = "crash-" + i;
                    String body = body(id, seed + i, i);
                    bodies.put(id, body);
                    sentAt.put(id, System.nanoTime());
                    Reply r = usage(service, body);
                    if (r == null) {
                        return null; // the service is gone: this id is in flight, retried after the restart
                    }
                    if (r.status() != 200 || r.replayed()) {
                        problems.add("under load, " + id + " answered " + r.status() + (r.replayed() ? " (replayed)"
                                : "") + ": " + r.json());
                    } else if (r.json().path("status").asString().equals("CHARGED")
                            && r.json().path("charged").decimalValue().signum() > 0
                            && new SplittableRandom(seed ^ i).nextInt(6) == 0) {
                        // a charge reversed at once, while the other clients charge the same account
                        String reversal = "{\"at\": \"" + CALLS_FROM.plusSeconds(i).plusHours(1)
                                + "\", \"reason\": \"the call failed upstream\"}";
                        reversalBodies.put(id, reversal);
                        roundReversals.add(id);
                        Reply rr = reversal(service, id, reversal);
                        if (rr == null) {
                            return null;
                        }
                        if (rr.status() != 200 || rr.replayed()) {
                            problems.add("under load, the reversal of " + id + " answered " + rr.status() + ": "
                                    + rr.json());
                        }
                    }
                }
            }));
        }
        pool.shutdown();
        return clients;
    }

    /** Sends every request id of the round again, with the same body, to the restarted service. */
    private Round retryAfterRestart(ServiceJar service, Set<String> ids, long killNs, long loadMs,
                                    double restartSeconds) throws Exception {
        Map<String, Reply> before = new HashMap<>();
        for (String id : ids) {
            List<Reply> list = answers.getOrDefault(id, List.of());
            if (!list.isEmpty()) {
                before.put(id, list.get(0));
            }
        }
        int ackedCharged = (int) before.values().stream()
                .filter(r -> r.json().path("status").asString().equals("CHARGED")).count();
        int inWindow = (int) before.values().stream().filter(r -> killNs - r.atNs() <= WINDOW_NS).count();
        AtomicInteger lost = new AtomicInteger();
        AtomicInteger lostCharged = new AtomicInteger();
        AtomicInteger inFlightCommitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> futures = new ArrayList<>();
        for (String id : ids) {
            futures.add(pool.submit(() -> {
                Reply again = usage(service, bodies.get(id));
                if (again == null || again.status() != 200) {
                    problems.add("after the restart, the retry of " + id + " answered "
                            + (again == null ? "nothing" : again.status() + ": " + again.json()));
                    return null;
                }
                Reply first = before.get(id);
                if (first == null) {
                    if (again.replayed()) {
                        inFlightCommitted.incrementAndGet();
                    }
                } else if (!again.replayed()) {
                    lost.incrementAndGet();
                    if (first.json().path("status").asString().equals("CHARGED")) {
                        lostCharged.incrementAndGet();
                    }
                } else if (!again.json().equals(first.json())) {
                    problems.add("the retry of " + id + " answered " + again.json() + ", first " + first.json());
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return new Round(ids.size(), before.size(), ackedCharged, inWindow, ids.size() - before.size(),
                inFlightCommitted.get(), lost.get(), lostCharged.get(), loadMs, restartSeconds);
    }

    /**
     * Sends every reversal of the round again to the restarted service: one acknowledged before the kill must be
     * replayed, the same JSON (applied again, it would give the credits back twice); one in flight is either
     * replayed (it committed) or made now.
     */
    private void retryReversalsAfterRestart(ServiceJar service) {
        for (String id : List.copyOf(roundReversals)) {
            List<Reply> earlier = List.copyOf(reversalAnswers.getOrDefault(id, List.of()));
            Reply again = reversal(service, id, reversalBodies.get(id));
            if (again == null || again.status() != 200) {
                problems.add("after the restart, the reversal of " + id + " answered "
                        + (again == null ? "nothing" : again.status() + ": " + again.json()));
                continue;
            }
            if (!earlier.isEmpty()) {
                reversalsAcked.incrementAndGet();
                if (!again.replayed()) {
                    reversalsLost.incrementAndGet();
                } else if (!again.json().equals(earlier.get(0).json())) {
                    problems.add("the reversal of " + id + " answered " + again.json() + ", first "
                            + earlier.get(0).json());
                }
            }
        }
        roundReversals.clear();
    }

    /** One POST /v1/usage/{id}/reversal; null when the service did not answer. */
    private Reply reversal(ServiceJar service, String requestId, String body) {
        Reply reply = send(service, "/v1/usage/" + requestId + "/reversal", body);
        if (reply != null && reply.status() == 200) {
            reversalAnswers.computeIfAbsent(requestId, k -> new CopyOnWriteArrayList<>()).add(reply);
        }
        return reply;
    }

    /** One POST, counted; the answer with the instant it arrived, or null when the service did not answer. */
    private Reply send(ServiceJar service, String path, String body) {
        sends.incrementAndGet();
        ServiceJar.Answer a = service.post(path, body);
        return a == null ? null : new Reply(a.status(), a.json(), a.replayed(), System.nanoTime());
    }

    /** Per reversed request id, what its reversal gave back: made by at most one send, all answered the same. */
    private Map<String, BigDecimal> reversedAnswers() {
        Map<String, BigDecimal> reversed = new HashMap<>();
        reversalBodies.keySet().forEach(id -> {
            List<Reply> list = reversalAnswers.getOrDefault(id, List.of());
            assertTrue(!list.isEmpty(), "the reversal of " + id + " was never answered");
            long made = list.stream().filter(r -> !r.replayed()).count();
            assertTrue(made <= 1, () -> "the reversal of " + id + " made by " + made + " of its sends");
            list.forEach(r -> assertEquals(list.get(0).json(), r.json(), "sends of the reversal of " + id));
            reversed.put(id, list.get(0).json().path("reversed").decimalValue());
        });
        return reversed;
    }

    /** One POST /v1/usage; null when the service did not answer (killed, or not there). */
    private Reply usage(ServiceJar service, String body) {
        Reply reply = send(service, "/v1/usage", body);
        if (reply == null) {
            return null;
        }
        if (reply.status() == 200) {
            String id = ServiceJar.JSON.readTree(body).path("requestId").asString();
            answers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(reply);
        }
        return reply;
    }

    /**
     * Per request id, the decision its sends were answered: at most one send decided it (the others replayed),
     * all of them answered the same. An id in flight at a kill whose commit made it has only replayed answers.
     */
    private Map<String, Answered> decidedAnswers() {
        Map<String, Answered> decided = new HashMap<>();
        for (String id : bodies.keySet()) {
            List<Reply> list = answers.getOrDefault(id, List.of());
            assertTrue(!list.isEmpty(), id + " was never answered");
            long made = list.stream().filter(r -> !r.replayed()).count();
            assertTrue(made <= 1, () -> id + " decided by " + made + " of its sends: " + list);
            JsonNode d = list.get(0).json();
            for (Reply r : list) {
                assertEquals(d, r.json(), () -> "sends of " + id + " answered different decisions");
            }
            decided.put(id, new Answered(accountOf.get(id), d.path("status").asString(),
                    d.path("charged").decimalValue(), d.path("shortfall").decimalValue(),
                    d.path("balanceAfter").decimalValue()));
        }
        return decided;
    }

    /** The body of request id number {@code i}: seeded (SplittableRandom mixes consecutive seeds well). */
    private String body(String id, long idSeed, int i) {
        SplittableRandom rnd = new SplittableRandom(idSeed);
        String account = ACCOUNTS.get(rnd.nextInt(ACCOUNTS.size()));
        accountOf.put(id, account);
        BigDecimal credits = BigDecimal.valueOf(rnd.nextInt(1, 20_001), 4);
        String outcome = rnd.nextInt(10) == 0 ? "FAILED" : "SUCCEEDED";
        return "{\"requestId\": \"" + id + "\", \"accountId\": \"" + account + "\", \"product\": \""
                + PRODUCTS.get(rnd.nextInt(PRODUCTS.size())) + "\", \"feature\": \"EDITOR_AGENT\", \"model\": "
                + "\"qwen3-coder\", \"outcome\": \"" + outcome + "\", \"credits\": "
                + credits.stripTrailingZeros().toPlainString() + ", \"occurredAt\": \"" + CALLS_FROM.plusSeconds(i)
                + "\"}";
    }

    // ---- set-up over HTTP

    /** Personal accounts with a plan lot and two add-on lots, all active at the calls: enough for every call. */
    private void setUpAccounts(ServiceJar s) {
        for (String id : ACCOUNTS) {
            s.personalAccount(id, "20000", "10000", "5000");
            sends.addAndGet(4);
        }
    }
}

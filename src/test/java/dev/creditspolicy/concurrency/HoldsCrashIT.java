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

import dev.creditspolicy.concurrency.LedgerInvariants.HoldSummary;
import dev.creditspolicy.concurrency.ServiceJar.Answer;

/**
 * Issue 14: the packaged jar killed with SIGKILL while clients hold and settle credits, restarted on the same
 * database. Eight clients each make a hold and then settle it (commit less or more than held, commit a failed call,
 * or release); at seeded moments the service is killed, restarted, and every hold of the round is sent again with
 * the same body, then its settlement. A hold or settlement answered before the kill must come back as the stored
 * answer ({@code Idempotent-Replayed: true}, the same JSON): a hold missing after the restart was lost, a settlement
 * decided again would settle the hold twice. One in flight at the kill is either replayed or decided now, once.
 * Then the ledger is audited ({@link LedgerInvariants#checkHolds}): no lot overdrawn or over-reserved, each hold
 * settled at most once, each commit's charge equal to its allocations and to what its client was told, and no hold
 * left open (every hold was settled, before or after a kill). The test fails when a round acknowledged no
 * settlement before its kill: then it would have checked nothing.
 * Settings: {@code -Dcredits.crash.kills=N} (1 here, for CI time; more kills, more rounds),
 * {@code -Dcredits.test.seed=S}.
 */
@DisplayName("Holds and their settlements survive a SIGKILL: none lost, none settled twice")
class HoldsCrashIT {
    private static final int CLIENTS = 8;
    private static final int KILLS = Integer.getInteger("credits.crash.kills", 1);
    private static final int KILL_AFTER_MS = 1200;
    private static final int KILL_SPREAD_MS = 1000;
    private static final OffsetDateTime CALLS_FROM = OffsetDateTime.parse("2026-07-10T09:00:00+08:00");
    private static final List<String> ACCOUNTS = List.of("hc-a", "hc-b", "hc-c");
    private static final List<String> PRODUCTS = List.of("IDE", "CLI", "JETBRAINS", "QODERWORK");

    /** A hold's two requests: its body, and the path and body of the settlement that follows it. */
    private record Call(String holdBody, String settlePath, String settleBody) {
    }

    /** What one round saw. */
    private record Round(int holds, int holdsAcked, int settlesAcked, int lostHolds, int settledTwice,
                         double restartSeconds) {
    }

    private final long seed = Long.getLong("credits.test.seed", System.nanoTime());
    private final List<ServiceJar> running = new ArrayList<>();
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final Map<String, Answer> holdAnswers = new ConcurrentHashMap<>();
    private final Map<String, Answer> settleAnswers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextId = new AtomicInteger();

    @AfterEach
    void stop() {
        running.forEach(ServiceJar::stop);
        running.clear();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @DisplayName("H2 file database, the service's default settings")
    void h2File() throws Exception {
        ServiceJar.onH2File("credits-holds-crash-h2", this::run);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @DisplayName("PostgreSQL")
    void postgres() throws Exception {
        ServiceJar.onPostgres("HoldsCrashIT", "holdcrash_", this::run);
    }

    private void run(String label, List<String> db, Supplier<Jdbi> ledger) throws Exception {
        Random moments = new Random(seed);
        ServiceJar service = start(label, db);
        for (String id : ACCOUNTS) {
            service.personalAccount(id, "20000", "10000", "5000");
        }
        List<Round> rounds = new ArrayList<>();
        for (int k = 1; k <= KILLS; k++) {
            Set<String> sent = ConcurrentHashMap.newKeySet();
            List<Future<?>> clients = load(service, sent);
            Thread.sleep(KILL_AFTER_MS + moments.nextInt(KILL_SPREAD_MS));
            int exit = service.kill();
            running.remove(service);
            assertEquals(137, exit, "a SIGKILLed JVM exits with 128 + 9");
            for (Future<?> c : clients) {
                c.get(60, TimeUnit.SECONDS);
            }
            long restartNs = System.nanoTime();
            service = start(label, db);
            rounds.add(retryAfterRestart(service, sent, (System.nanoTime() - restartNs) / 1e9));
        }
        service.stop();
        running.remove(service);

        System.out.printf("HoldsCrashIT [%s] seed %d: %d kills, %d holds, %d holds and %d settlements acknowledged "
                        + "before a kill and checked after the restart, lost holds %d, settled twice %d; restarts "
                        + "%s s%n", label, seed, KILLS, nextId.get(), rounds.stream().mapToInt(Round::holdsAcked).sum(),
                rounds.stream().mapToInt(Round::settlesAcked).sum(), rounds.stream().mapToInt(Round::lostHolds).sum(),
                rounds.stream().mapToInt(Round::settledTwice).sum(),
                rounds.stream().map(r -> String.format("%.1f", r.restartSeconds())).toList());
        assertEquals(List.of(), List.copyOf(problems), "unexpected answers (seed " + seed + "); see "
                + ServiceJar.LOGS);
        for (int k = 0; k < rounds.size(); k++) {
            assertTrue(rounds.get(k).settlesAcked() > 0, "kill " + (k + 1) + " came before any settlement was "
                    + "acknowledged: it checked nothing (" + rounds.get(k) + ")");
        }

        Map<String, BigDecimal> committed = new HashMap<>();
        settleAnswers.forEach((id, a) -> {
            if (calls.get(id).settlePath().endsWith("/commit")) {
                committed.put(id, a.json().path("charged").decimalValue());
            }
        });
        HoldSummary s = LedgerInvariants.checkHolds(ledger.get(), committed);
        System.out.printf("HoldsCrashIT [%s]: holds %s, charged %s%n", label, s.byState(), s.charged());
        assertEquals(nextId.get(), s.holds(), "one hold per hold id sent");
        assertEquals(0, s.byState().getOrDefault("OPEN", 0), "every hold was settled: none left open");
        assertTrue(s.byState().getOrDefault("COMMITTED", 0) > 0 && s.byState().getOrDefault("RELEASED", 0) > 0,
                "holds were committed and released: " + s.byState());
    }

    private ServiceJar start(String label, List<String> db) throws Exception {
        ServiceJar s = ServiceJar.start("HoldsCrashIT", label.startsWith("H2") ? "h2" : "pg", db);
        running.add(s);
        ServiceJar.awaitHealthy(List.of(s));
        return s;
    }

    /** {@link #CLIENTS} clients, each holding and then settling, until the service stops answering. */
    private List<Future<?>> load(ServiceJar service, Set<String> sent) {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                while (true) {
                    int i = nextId.getAndIncrement();
                    String id = "hc-" + i;
                    Call call = call(id, i);
                    calls.put(id, call);
                    sent.add(id);
                    if (!send(service, id, call, false)) {
                        return null; // the service is gone: retried after the restart
                    }
                }
            }));
        }
        pool.shutdown();
        return clients;
    }

    /**
     * The hold, then its settlement; false when the service did not answer one of them. After a restart
     * ({@code retry}), an answer given before the kill must come back replayed and equal.
     */
    private boolean send(ServiceJar service, String id, Call call, boolean retry) {
        Answer hold = service.post("/v1/holds", call.holdBody());
        if (hold == null) {
            return false;
        }
        if (!expected(id, "hold", holdAnswers, hold, retry)) {
            return true;
        }
        Answer settle = service.post(call.settlePath(), call.settleBody());
        if (settle == null) {
            return false;
        }
        expected(id, "settlement", settleAnswers, settle, retry);
        return true;
    }

    /** Checks one answer against the first one given for it, keeps it if it is the first; true when it is a 200. */
    private boolean expected(String id, String what, Map<String, Answer> first, Answer a, boolean retry) {
        if (a.status() != 200) {
            problems.add(what + " of " + id + " answered " + a.status() + ": " + a.json());
            return false;
        }
        Answer before = first.putIfAbsent(id, a);
        if (before == null) {
            if (!retry && a.replayed()) {
                problems.add("the first " + what + " of " + id + " was answered as a replay");
            }
        } else if (!a.replayed()) {
            problems.add(what + " of " + id + " was decided again after the restart: first " + before.json()
                    + ", again " + a.json());
        } else if (!a.json().equals(before.json())) {
            problems.add(what + " of " + id + " answered " + a.json() + " after the restart, " + before.json()
                    + " before");
        }
        return true;
    }

    /** Every hold of the round again, then its settlement, with the same bodies. */
    private Round retryAfterRestart(ServiceJar service, Set<String> ids, double restartSeconds) throws Exception {
        int holdsAcked = (int) ids.stream().filter(holdAnswers::containsKey).count();
        int settlesAcked = (int) ids.stream().filter(settleAnswers::containsKey).count();
        int problemsBefore = problems.size();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> futures = new ArrayList<>();
        for (String id : ids) {
            futures.add(pool.submit(() -> {
                if (!send(service, id, calls.get(id), true)) {
                    problems.add("after the restart, " + id + " was not answered");
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<String> found = problems.stream().skip(problemsBefore).toList();
        int lost = (int) found.stream().filter(p -> p.startsWith("hold of")).count();
        int twice = (int) found.stream().filter(p -> p.startsWith("settlement of")).count();
        return new Round(ids.size(), holdsAcked, settlesAcked, lost, twice, restartSeconds);
    }

    /**
     * Hold number {@code i}, seeded: up to 2 credits on one of the accounts, then (a day's ttl, so nothing expires)
     * a commit of up to 2.5 credits (more than held at times), a failed commit, or a release, 30 s later.
     */
    private Call call(String id, int i) {
        SplittableRandom rnd = new SplittableRandom(seed + i);
        OffsetDateTime at = CALLS_FROM.plusSeconds(i);
        String holdBody = "{\"holdId\": \"" + id + "\", \"accountId\": \"" + ACCOUNTS.get(rnd.nextInt(ACCOUNTS.size()))
                + "\", \"product\": \"" + PRODUCTS.get(rnd.nextInt(PRODUCTS.size())) + "\", \"feature\": "
                + "\"QUEST_AGENT\", \"model\": \"qwen3-coder\", \"credits\": " + credits(rnd, 20_000)
                + ", \"occurredAt\": \"" + at + "\", \"ttlSeconds\": 86400}";
        String settleAt = at.plusSeconds(30).toString();
        int dice = rnd.nextInt(10);
        if (dice < 2) {
            return new Call(holdBody, "/v1/holds/" + id + "/release", "{\"occurredAt\": \"" + settleAt + "\"}");
        }
        return new Call(holdBody, "/v1/holds/" + id + "/commit", "{\"outcome\": \""
                + (dice == 2 ? "FAILED" : "SUCCEEDED") + "\", \"credits\": " + credits(rnd, 25_000)
                + ", \"occurredAt\": \"" + settleAt + "\"}");
    }

    private static String credits(SplittableRandom rnd, int maxTenThousandths) {
        return BigDecimal.valueOf(rnd.nextInt(1, maxTenThousandths + 1), 4).stripTrailingZeros().toPlainString();
    }
}

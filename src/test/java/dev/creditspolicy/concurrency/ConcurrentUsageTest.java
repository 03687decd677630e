package dev.creditspolicy.concurrency;

import dev.creditspolicy.service.ProblemType;

import dev.creditspolicy.requests.Kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.concurrency.LedgerInvariants.Answered;
import dev.creditspolicy.concurrency.LedgerInvariants.Summary;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.UsageBatcher;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

/**
 * Sixteen threads record usage for the same three accounts through the real service on a real database (H2 in the
 * first pass, PostgreSQL in the second), with retries of a request id from another thread at the same time, retries
 * in another but equivalent form, retries with another body, and first sends of one request id for two accounts at
 * once (a unique-key race: one wins, the other is refused as a conflict). Two accounts hold less than asked, so
 * INSUFFICIENT is decided under contention. The ledger is then audited over SQL ({@link LedgerInvariants}).
 * The workload is seeded: {@code -Dcredits.test.seed=N} replays a seed printed by a failed run.
 */
@DisplayName("Concurrent usage on shared accounts keeps the ledger's invariants")
class ConcurrentUsageTest {
    private static final int THREADS = 16;
    private static final int REQUESTS_PER_THREAD = 25;
    private static final BigDecimal MAX_COST = new BigDecimal("20");
    private static final String JUL_01 = "2026-07-01T00:00:00+08:00";
    private static final String AUG_01 = "2026-08-01T00:00:00+08:00";
    private static final String AUG_15 = "2026-08-15T00:00:00+08:00";
    private static final String SEP_01 = "2026-09-01T00:00:00+08:00";
    private static final OffsetDateTime CALLS_FROM = OffsetDateTime.parse("2026-07-10T09:00:00+08:00");
    private static final List<String> ACCOUNTS = List.of("rich", "mid", "poor");
    private static final List<String> PRODUCTS = List.of("IDE", "CLI", "JETBRAINS", "QODERWORK");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /** The real services, over a connection pool as in production (10 connections for 16 threads). */
    private final HikariDataSource pool = pooled(TestDatabases.fresh("concurrent_usage"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CreditsServices services = CreditsServices.of(new Store(pool), TestServices.rules(),
            Clock.fixed(TestServices.NOW, ZoneOffset.UTC), meters);
    private final long seed = Long.getLong("credits.test.seed", System.nanoTime());

    private final Map<String, List<Answer<UsageDecision>>> answers = new ConcurrentHashMap<>();
    private final Map<String, String> accountOf = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> sharedRetries = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sends = new AtomicInteger();
    private final AtomicInteger conflictsSent = new AtomicInteger();
    private final AtomicInteger conflictsRefused = new AtomicInteger();
    private final Set<String> racing = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> racingRefused = new ConcurrentHashMap<>();

    @AfterEach
    void closePool() {
        pool.close();
    }

    @ParameterizedTest(name = "batched: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("16 threads, 3 accounts, retries and conflicting retries: no overdraft, each request decided once, "
            + "decisions serialisable (each request its own transaction, and group commit's batches)")
    void sixteenThreadsOnThreeAccounts(boolean batched) throws Exception {
        try (UsageBatcher batcher = batched ? services.usage().startBatching(2, 8) : null) {
            sixteenThreads(batched);
        }
    }

    private void sixteenThreads(boolean batched) throws Exception {
        lots("rich", "2000", "1000", "500");
        lots("mid", "150", "100", "50.5");
        lots("poor", "40", "30", "20.25");

        long startedNs = System.nanoTime();
        Together.run(THREADS, thread -> work(thread, new Random(seed + thread)));
        String retry;
        while ((retry = sharedRetries.poll()) != null) {
            send(retry);
        }
        long elapsedMs = (System.nanoTime() - startedNs) / 1_000_000;

        assertEquals(List.of(), unexpected.stream().map(ConcurrentUsageTest::describe).toList(),
                "unexpected exceptions (seed " + seed + ")");
        assertEquals(conflictsSent.get(), conflictsRefused.get(), "conflicting retries refused as conflicts");
        for (String id : racing) {
            assertEquals(1, racingRefused.getOrDefault(id, new AtomicInteger()).get(),
                    "of the two racing first sends of " + id + " for different accounts, one is refused");
        }
        Map<String, Answered> answered = firstAnswers();
        Summary s = LedgerInvariants.check(services.store().jdbi(), answered);
        System.out.printf("ConcurrentUsageTest on %s, seed %d: %d sends, %d request ids, %d conflicting retries, "
                        + "%d racing conflicts, %d ms; decisions %s; charged %s; remaining %s%n", TestDatabases.KIND,
                seed, sends.get(), answered.size(), conflictsSent.get(), racing.size(), elapsedMs, s.byStatus(),
                s.totalCharged(), s.remainingByAccount());

        assertEquals(THREADS * REQUESTS_PER_THREAD, s.decisions(), "one decision per request id");
        if (batched) {
            var batches = meters.get("credits.usage.batch.size").summary();
            System.out.printf("  %d batches, %.0f requests in them%n", batches.count(), batches.totalAmount());
            assertTrue(batches.totalAmount() > batches.count(), "some batch held more than one request");
        }
        assertTrue(s.byStatus().getOrDefault("CHARGED", 0) > 0, "some calls charged");
        assertTrue(s.byStatus().getOrDefault("EXEMPT", 0) > 0, "some failed calls exempt");
        assertTrue(conflictsSent.get() > 0 && !racing.isEmpty(), "the workload sent conflicting retries");
        assertTrue(sends.get() > s.decisions() + conflictsSent.get(), "the workload sent same-body retries");
        for (String account : List.of("mid", "poor")) {
            assertTrue(insufficient(answered, account) > 0, account + " ran out of credits under contention");
            assertTrue(s.remainingByAccount().get(account).compareTo(MAX_COST) < 0,
                    account + " was drained: " + s.remainingByAccount().get(account) + " left");
        }
        assertEquals(0, insufficient(answered, "rich"), "rich holds more than the workload asks");
    }

    /** One client: new requests, each sometimes retried by another thread, in another form, or with another body. */
    private void work(int thread, Random rnd) {
        for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
            String id = "t" + thread + "-r" + i;
            int accountIndex = rnd.nextInt(ACCOUNTS.size());
            String account = ACCOUNTS.get(accountIndex);
            BigDecimal credits = BigDecimal.valueOf(rnd.nextInt(1, 200_001), 4);
            String product = PRODUCTS.get(rnd.nextInt(PRODUCTS.size()));
            String outcome = rnd.nextInt(10) == 0 ? "FAILED" : "SUCCEEDED";
            OffsetDateTime at = CALLS_FROM.plusSeconds(thread * 1000L + i);
            String body = body(id, account, product, outcome, credits.stripTrailingZeros().toPlainString(),
                    at.toString());
            int dice = rnd.nextInt(100);
            if (dice < 20) {
                sharedRetries.add(body); // another thread sends it again, possibly while this one is at it
            } else if (dice >= 36 && dice < 40) {
                // another thread sends the id for another account, racing this one: one wins, the other is refused
                racing.add(id);
                sharedRetries.add(body(id, ACCOUNTS.get((accountIndex + 1) % ACCOUNTS.size()), product, outcome,
                        credits.stripTrailingZeros().toPlainString(), at.toString()));
            }
            send(body);
            if (dice >= 20 && dice < 30) {
                // the same request, written differently: 4 fractional digits and UTC
                Answer<UsageDecision> again = send(body(id, account, product, outcome,
                        credits.setScale(4).toPlainString(), at.withOffsetSameInstant(ZoneOffset.UTC).toString()));
                if (again != null && !again.replayed()) {
                    unexpected.add(new AssertionError("a sequential retry of " + id + " was not replayed"));
                }
            } else if (dice >= 30 && dice < 36) {
                conflict(body(id, account, product, outcome, credits.add(BigDecimal.ONE).toPlainString(),
                        at.toString()));
            }
            if (rnd.nextBoolean()) {
                String other = sharedRetries.poll();
                if (other != null) {
                    send(other);
                }
            }
        }
    }

    private Answer<UsageDecision> send(String body) {
        sends.incrementAndGet();
        Commands.Usage cmd = Kinds.USAGE.parse(null, JSON.readTree(body));
        try {
            Answer<UsageDecision> a = services.usage().record(cmd);
            accountOf.put(cmd.requestId(), cmd.accountId());
            answers.compute(a.body().requestId(), (k, list) -> {
                List<Answer<UsageDecision>> l = list == null ? new ArrayList<>() : list;
                l.add(a);
                return l;
            });
            return a;
        } catch (Problem p) {
            if (racing.contains(cmd.requestId()) && p.slug().equals(Problem.IDEMPOTENCY_CONFLICT)) {
                racingRefused.computeIfAbsent(cmd.requestId(), k -> new AtomicInteger()).incrementAndGet();
            } else {
                unexpected.add(p);
            }
            return null;
        } catch (Throwable e) {
            unexpected.add(e);
            return null;
        }
    }

    private void conflict(String body) {
        sends.incrementAndGet();
        conflictsSent.incrementAndGet();
        try {
            services.usage().record(Kinds.USAGE.parse(null, JSON.readTree(body)));
            unexpected.add(new AssertionError("conflicting retry accepted: " + body));
        } catch (Problem p) {
            if (p.slug().equals(Problem.IDEMPOTENCY_CONFLICT) && ProblemType.statusOf(p.slug()) == 409) {
                conflictsRefused.incrementAndGet();
            } else {
                unexpected.add(p);
            }
        } catch (Throwable e) {
            unexpected.add(e);
        }
    }

    /** Every send of a request id got the same decision, and exactly one of them made it (was not replayed). */
    private Map<String, Answered> firstAnswers() {
        Map<String, Answered> first = new HashMap<>();
        answers.forEach((id, list) -> {
            List<Answer<UsageDecision>> made = list.stream().filter(a -> !a.replayed()).toList();
            assertEquals(1, made.size(), () -> id + " decided by " + made.size() + " of its sends: " + list);
            UsageDecision d = made.get(0).body();
            for (Answer<UsageDecision> a : list) {
                assertEquals(d, a.body(), () -> "a retry of " + id + " answered another decision");
            }
            first.put(id, new Answered(accountOf.get(id), d.status().name(), d.charged(), d.shortfall(),
                    d.balanceAfter()));
        });
        return first;
    }

    private static long insufficient(Map<String, Answered> answered, String account) {
        return answered.values().stream()
                .filter(a -> a.accountId().equals(account) && a.status().equals("INSUFFICIENT")).count();
    }

    /** A personal account with a plan lot and two add-on lots expiring later, all active at the calls. */
    private void lots(String account, String plan, String purchase, String promotion) {
        services.accounts().create(new Commands.CreateAccount(account, Realm.QODER_CN, Plan.PERSONAL_PRO,
                at(JUL_01)));
        services.accounts().startCycle(new Commands.StartCycle(account, Plan.PERSONAL_PRO, at(JUL_01), at(AUG_01),
                new BigDecimal(plan), account + "-plan"));
        services.accounts().grantAddon(new Commands.GrantAddon(account, account + "-pack", LotSource.PURCHASE,
                new BigDecimal(purchase), at(JUL_01), at(SEP_01), "credit pack", null));
        services.accounts().grantAddon(new Commands.GrantAddon(account, account + "-promo", LotSource.PROMOTION,
                new BigDecimal(promotion), at(JUL_01), at(AUG_15), "welcome promotion", null));
    }

    private static String body(String id, String account, String product, String outcome, String credits,
                               String occurredAt) {
        return "{\"requestId\": \"" + id + "\", \"accountId\": \"" + account + "\", \"product\": \"" + product
                + "\", \"feature\": \"EDITOR_AGENT\", \"model\": \"qwen3-coder\", \"outcome\": \"" + outcome
                + "\", \"credits\": " + credits + ", \"occurredAt\": \"" + occurredAt + "\"}";
    }

    private static HikariDataSource pooled(DataSource database) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(database);
        config.setMaximumPoolSize(10);
        config.setPoolName("concurrent-usage");
        return new HikariDataSource(config);
    }

    private static java.time.Instant at(String t) {
        return OffsetDateTime.parse(t).toInstant();
    }

    private static String describe(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        String s = w.toString();
        return s.length() > 3000 ? s.substring(0, 3000) : s;
    }
}

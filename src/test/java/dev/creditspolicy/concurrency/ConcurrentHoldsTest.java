package dev.creditspolicy.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.creditspolicy.concurrency.LedgerInvariants.HoldSummary;
import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.CommitView;
import dev.creditspolicy.service.Views.HoldView;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

/**
 * Sixteen threads hold, commit (less, equal or more than held, or failed), release, leave holds to expire and report
 * plain usage on the same three accounts, with retries of each commit and release, through the real service on a
 * real database (H2 in the first pass, PostgreSQL in the second). While they run, a watcher checks that no lot's
 * open holds reserve more than it has left; afterwards the ledger is audited ({@link LedgerInvariants#checkHolds}).
 * Seeded: {@code -Dcredits.test.seed=N} replays a seed printed by a failed run.
 */
@DisplayName("Concurrent holds and commits on shared accounts never overspend")
class ConcurrentHoldsTest {
    private static final int THREADS = 16;
    private static final int HOLDS_PER_THREAD = 15;
    private static final OffsetDateTime CALLS_FROM = OffsetDateTime.parse("2026-07-10T09:00:00+08:00");
    private static final List<String> ACCOUNTS = List.of("busy-a", "busy-b", "busy-c");
    private static final Set<String> SETTLE_REFUSALS = Set.of(Problem.HOLD_SETTLED, Problem.HOLD_EXPIRED);

    private final HikariDataSource pool = pooled();
    private final CreditsServices services = CreditsServices.of(new Store(pool), TestServices.rules(),
            Clock.fixed(TestServices.NOW, ZoneOffset.UTC), new SimpleMeterRegistry());
    private final long seed = Long.getLong("credits.test.seed", System.nanoTime());
    private final Map<String, BigDecimal> committed = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("16 threads, 3 accounts: open holds never exceed what remains, each hold settled once, "
            + "every commit's charge equals its allocations")
    void sixteenThreadsHoldingAndCommitting() throws Exception {
        for (String account : ACCOUNTS) {
            lots(account);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> overReserved = new ConcurrentLinkedQueue<>();
        Thread watcher = new Thread(() -> {
            try (Handle h = services.store().jdbi().open()) {
                while (running.get()) {
                    overReserved.addAll(LedgerInvariants.overReserved(h));
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watcher.start();
        Together.run(THREADS, thread -> work(thread, new Random(seed + thread)));
        running.set(false);
        watcher.join();

        assertEquals(List.of(), List.copyOf(unexpected), "unexpected answers (seed " + seed + ")");
        assertEquals(List.of(), List.copyOf(overReserved), "lots over-reserved while the workload ran (seed " + seed
                + ")");
        HoldSummary s = LedgerInvariants.checkHolds(services.store().jdbi(), committed);
        assertEquals(THREADS * HOLDS_PER_THREAD, s.holds(), "one hold per hold id");
        assertTrue(counts.getOrDefault("COMMITTED", new AtomicInteger()).get() > 0, "some holds were committed");
        assertTrue(counts.getOrDefault("INSUFFICIENT", new AtomicInteger()).get() > 0,
                "the accounts ran short: holds were refused under contention");
        System.out.printf("ConcurrentHoldsTest on %s, seed %d: holds by state %s, answers %s, charged %s%n",
                TestDatabases.KIND, seed, s.byState(), counts, s.charged());
    }

    private void work(int thread, Random rnd) {
        for (int i = 0; i < HOLDS_PER_THREAD; i++) {
            String account = ACCOUNTS.get(rnd.nextInt(ACCOUNTS.size()));
            String id = "t" + thread + "-h" + i;
            // event time moves forward per thread; threads interleave, so holds also arrive late
            Instant at = CALLS_FROM.toInstant().plusSeconds(thread * 7L + i * 60L);
            int ttl = rnd.nextInt(10) == 0 ? 1 : 3600;
            BigDecimal credits = Money.of(BigDecimal.valueOf(1 + rnd.nextInt(40)));
            var hold = new Commands.Hold(id, account, null, Product.CLI, Feature.QUEST_AGENT, "m", credits, at, ttl);
            HoldView h = call("hold", () -> services.holds().hold(hold)).body();
            BigDecimal allocated = h.allocations().stream().map(Allocation::amount).reduce(Money.ZERO, BigDecimal::add);
            check(allocated.compareTo(h.held()) == 0 && h.balanceAfter().signum() >= 0, id + " held " + h);
            count(h.status());
            if (h.status().equals("INSUFFICIENT") || rnd.nextInt(8) == 0) {
                continue; // left open: it expires by event time
            }
            Instant settleAt = at.plusSeconds(ttl == 1 ? 2 : 30);
            if (rnd.nextInt(5) == 0) {
                var release = new Commands.Release(id, settleAt);
                settle(id, () -> services.holds().release(release), r -> count("RELEASED"));
                settle(id, () -> services.holds().release(release), r -> check(r.replayed(), id + " replay"));
                continue;
            }
            Outcome outcome = rnd.nextInt(6) == 0 ? Outcome.FAILED : Outcome.SUCCEEDED;
            BigDecimal actual = Money.of(credits.add(BigDecimal.valueOf(rnd.nextInt(21) - 10)).max(BigDecimal.ONE));
            var commit = new Commands.Commit(id, outcome, actual, settleAt);
            settle(id, () -> services.holds().commit(commit), a -> {
                CommitView c = a.body();
                BigDecimal sum = c.decision().allocations().stream().map(Allocation::amount)
                        .reduce(Money.ZERO, BigDecimal::add);
                check(sum.compareTo(c.decision().charged()) == 0, id + " allocations " + c);
                check(c.decision().charged().add(c.released()).compareTo(h.held()) >= 0
                        || c.decision().reason().name().equals("HOLD_EXCEEDED"), id + " released " + c);
                committed.put(id, c.decision().charged());
                count("COMMITTED");
                count(c.decision().reason().name());
            });
            settle(id, () -> services.holds().commit(commit), a -> check(a.replayed()
                    && a.body().decision().charged().compareTo(committed.get(id)) == 0, id + " commit replay"));
        }
    }

    private <T> void settle(String id, java.util.function.Supplier<Answer<T>> request,
                            java.util.function.Consumer<Answer<T>> then) {
        try {
            then.accept(request.get());
        } catch (Problem p) {
            if (!SETTLE_REFUSALS.contains(p.slug())) {
                unexpected.add(id + ": " + p.slug() + " " + p.getMessage());
            }
            count(p.slug());
        }
    }

    private <T> T call(String what, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            unexpected.add(what + ": " + e);
            throw e;
        }
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            unexpected.add(what);
        }
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    /** A personal account with a plan lot and a pack, both active at the calls: 600 credits for ~240 holds. */
    private void lots(String account) {
        Instant jul = Instant.parse("2026-06-30T16:00:00Z");
        services.accounts().create(new Commands.CreateAccount(account, Realm.QODER_CN, Plan.PERSONAL_PRO, jul));
        services.accounts().startCycle(new Commands.StartCycle(account, Plan.PERSONAL_PRO, jul,
                jul.plusSeconds(31 * 86_400L), new BigDecimal("400"), account + "-plan"));
        services.accounts().grantAddon(new Commands.GrantAddon(account, account + "-pack", LotSource.PURCHASE,
                new BigDecimal("200"), jul, jul.plusSeconds(62 * 86_400L), "credit pack", null));
    }

    private static HikariDataSource pooled() {
        HikariConfig config = new HikariConfig();
        config.setDataSource(TestDatabases.fresh("concurrent_holds"));
        config.setMaximumPoolSize(10);
        config.setPoolName("concurrent-holds");
        return new HikariDataSource(config);
    }
}

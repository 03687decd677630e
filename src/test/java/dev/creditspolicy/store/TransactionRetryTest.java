package dev.creditspolicy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.store.Rows.EventKind;
import dev.creditspolicy.store.Rows.EventRow;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

/**
 * Store.inTransaction retries a transaction that lost a deadlock or a serialization conflict, a bounded number of
 * times, and rolls back each failed attempt; anything else reaches the caller at once. The deadlock is a real one,
 * made by two transactions locking two accounts in opposite order.
 */
@DisplayName("Store.inTransaction retries deadlocks and serialization failures, a bounded number of times")
class TransactionRetryTest {
    private static final int MAX_ATTEMPTS = 5; // Store.MAX_ATTEMPTS
    private static final Instant T = Instant.parse("2026-07-01T00:00:00Z");

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private CreditsServices services;
    private Store store;

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** A fresh database with the given accounts (only the tests that need one make it). */
    private void accounts(String... ids) {
        services = TestServices.fresh("tx_retry");
        store = services.store();
        for (String id : ids) {
            services.accounts().create(new Commands.CreateAccount(id, Realm.QODER_CN, Plan.PERSONAL_PRO, T));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("two transactions locking two accounts in opposite order: the deadlock's victim is retried and both "
            + "commit once")
    void deadlockVictimIsRetried() throws Exception {
        accounts("a", "b");
        CyclicBarrier bothHoldTheirFirstLock = new CyclicBarrier(2);
        AtomicInteger attemptsAb = new AtomicInteger();
        AtomicInteger attemptsBa = new AtomicInteger();

        long startedNs = System.nanoTime();
        Future<String> ab = pool.submit(() -> lockBoth("a", "b", "ab", attemptsAb, bothHoldTheirFirstLock));
        Future<String> ba = pool.submit(() -> lockBoth("b", "a", "ba", attemptsBa, bothHoldTheirFirstLock));

        assertEquals("ab done", ab.get(50, TimeUnit.SECONDS));
        assertEquals("ba done", ba.get(50, TimeUnit.SECONDS));
        System.out.printf("TransactionRetryTest on %s: deadlock resolved in %d ms, attempts ab=%d ba=%d%n",
                TestDatabases.KIND, (System.nanoTime() - startedNs) / 1_000_000, attemptsAb.get(), attemptsBa.get());
        // which one is the victim, and whether H2 also fails the victim's first retry, is the database's choice
        int attempts = attemptsAb.get() + attemptsBa.get();
        assertTrue(attempts > 2 && attempts < 2 * MAX_ATTEMPTS, "the deadlock was retried, within bounds: "
                + attempts + " attempts");
        assertEquals(List.of("ab", "ba"), events("a"), "each transaction's event committed once, in a");
        assertEquals(List.of("ab", "ba"), events("b"), "each transaction's event committed once, in b");
    }

    /** Locks {@code first}, waits until the other transaction holds its first lock (first attempt only), then locks
     *  {@code second}; writes an event in each account. */
    private String lockBoth(String first, String second, String ref, AtomicInteger attempts, CyclicBarrier barrier) {
        return store.inTransaction(tx -> {
            int attempt = attempts.incrementAndGet();
            tx.accounts().lock(first).orElseThrow();
            tx.accounts().insertEvent(new EventRow(null, first, EventKind.USAGE, ref, T));
            if (attempt == 1) {
                try {
                    barrier.await(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the other transaction never took its first lock", e);
                }
            }
            tx.accounts().lock(second).orElseThrow();
            tx.accounts().insertEvent(new EventRow(null, second, EventKind.USAGE, ref, T));
            return ref + " done";
        });
    }

    @Test
    @DisplayName("a transaction failing twice with a serialization failure commits on the third attempt, and only "
            + "the third attempt's writes remain")
    void serializationFailureIsRetried() {
        accounts("a");
        AtomicInteger attempts = new AtomicInteger();

        String result = store.inTransaction(tx -> {
            int attempt = attempts.incrementAndGet();
            tx.accounts().insertEvent(new EventRow(null, "a", EventKind.USAGE, "attempt " + attempt, T));
            if (attempt < 3) {
                serializationFailure(tx);
            }
            return "committed";
        });

        assertEquals("committed", result);
        assertEquals(3, attempts.get());
        assertEquals(List.of("attempt 3"), events("a"), "the failed attempts were rolled back");
    }

    @Test
    @DisplayName("a transaction that keeps failing with a deadlock is attempted " + MAX_ATTEMPTS + " times, then "
            + "the failure reaches the caller")
    void retriesAreBounded() {
        accounts("a");
        AtomicInteger attempts = new AtomicInteger();

        RuntimeException e = assertThrows(RuntimeException.class, () -> store.inTransaction(tx -> {
            attempts.incrementAndGet();
            tx.accounts().insertEvent(new EventRow(null, "a", EventKind.USAGE, "doomed", T));
            throw new IllegalStateException(new SQLException("deadlock detected", "40P01"));
        }));

        assertEquals(MAX_ATTEMPTS, attempts.get());
        assertInstanceOf(Store.Busy.class, e, "contention past the retries is the store's typed busy refusal");
        assertEquals("40P01", Store.sqlState(e));
        assertEquals(List.of(), events("a"), "nothing of the failed attempts remains");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("a lock wait that times out (PostgreSQL 55P03, H2 HYT00) is retried like a deadlock, and past the "
            + "retries it is the same typed busy refusal on both databases")
    void lockTimeoutIsRetriedThenBusy() throws Exception {
        accounts("a");
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> holder = pool.submit(() -> store.inTransaction(tx -> {
            tx.accounts().lock("a").orElseThrow();
            locked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "held";
        }));
        assertTrue(locked.await(20, TimeUnit.SECONDS));
        AtomicInteger attempts = new AtomicInteger();

        RuntimeException e = assertThrows(RuntimeException.class, () -> store.inTransaction(tx -> {
            attempts.incrementAndGet();
            shortLockTimeout(tx);
            return tx.accounts().lock("a");
        }));
        release.countDown();

        assertInstanceOf(Store.Busy.class, e);
        assertEquals(TestDatabases.postgres() ? "55P03" : "HYT00", ((Store.Busy) e).sqlState());
        assertEquals(MAX_ATTEMPTS, attempts.get(), "every attempt waited for the lock and timed out");
        assertEquals("held", holder.get(20, TimeUnit.SECONDS));
        assertEquals("a", store.inTransaction(tx -> tx.accounts().lock("a").orElseThrow().accountId()),
                "once the holder commits the account is free again");
    }

    /** 100 ms for this transaction's lock waits (H2's setting is the session's: the test's fresh database only). */
    private static void shortLockTimeout(Store.Tx tx) {
        tx.handle().execute(TestDatabases.postgres() ? "SET LOCAL lock_timeout = '100ms'" : "SET LOCK_TIMEOUT 100");
    }

    @Test
    @DisplayName("a refusal or a non-transient SQL error is not retried: it reaches the caller from the first attempt")
    void otherFailuresAreNotRetried() {
        accounts("a");
        AtomicInteger attempts = new AtomicInteger();
        Problem refusal = Problem.unknownAccount("x");

        Problem thrown = assertThrows(Problem.class, () -> store.inTransaction(tx -> {
            attempts.incrementAndGet();
            throw refusal;
        }));
        assertSame(refusal, thrown);
        assertEquals(1, attempts.get());

        attempts.set(0);
        RuntimeException fk = assertThrows(RuntimeException.class, () -> store.inTransaction(tx -> {
            attempts.incrementAndGet();
            tx.accounts().insertEvent(new EventRow(null, "no-such-account", EventKind.USAGE, "x", T));
            return null;
        }));
        assertEquals(TestDatabases.postgres() ? "23503" : "23506", Store.sqlState(fk),
                "a foreign-key violation (H2 says 23506, PostgreSQL 23503)");
        assertEquals(1, attempts.get());
    }

    @ParameterizedTest(name = "SQLState {0} transient: {1}")
    @CsvSource({"40001, true", "40P01, true", "23505, true", "55P03, true", "HYT00, true", "23503, false", "23506, false",
            "42P01, false", "08006, false", "57014, false"})
    @DisplayName("transient SQLStates: serialization failure, deadlock, unique-key race, lock timeout (PostgreSQL, H2)")
    void classification(String state, boolean transientState) {
        assertEquals(transientState, Store.isTransient(state));
    }

    @Test
    @DisplayName("the SQLState is found however deep the SQLException is wrapped; none is not transient")
    void sqlStateThroughCauses() {
        RuntimeException wrapped = new RuntimeException("outer",
                new IllegalStateException(new SQLException("serialization failure", "40001")));
        assertEquals("40001", Store.sqlState(wrapped));
        assertNull(Store.sqlState(new RuntimeException("no SQL here")));
        assertFalse(Store.isTransient(null));
        assertTrue(Store.isTransient(Store.sqlState(wrapped)));
    }

    /** A real serialization failure raised by PostgreSQL; on H2, which cannot raise one at will, a synthetic one. */
    private static void serializationFailure(Store.Tx tx) {
        if (TestDatabases.postgres()) {
            tx.handle().execute("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; "
                    + "END $$");
        }
        throw new IllegalStateException(new SQLException("could not serialize access", "40001"));
    }

    private List<String> events(String account) {
        return store.jdbi().withHandle(h -> h.createQuery("SELECT ref FROM account_events WHERE account_id = :a "
                + "AND kind = 'USAGE' ORDER BY ref").bind("a", account).mapTo(String.class).list());
    }
}

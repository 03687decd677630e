package dev.creditspolicy.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.creditspolicy.events.EventRecorder;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.store.Rows.ExpiredHold;
import dev.creditspolicy.store.Store;

/**
 * Marks holds whose expiry has passed as EXPIRED, so the open holds stay few. Correctness never depends on it: every
 * request filters holds by its own instant, and a request that may draw marks the holds its instant expired first.
 * A bounded batch of accounts per run; each account in its own short transaction under the account's row lock, taken
 * with SKIP LOCKED, so a busy account is left for the next run and two instances never sweep one account at once.
 * {@code grace} leaves a commit dated before the expiry that arrives late some time to still be accepted.
 */
public final class HoldSweeper {
    private final Store store;
    private final PolicyEngine engine;
    private final Clock clock;
    private final Duration grace;
    private final int batchAccounts;

    public HoldSweeper(Store store, PolicyEngine engine, Clock clock, Duration grace, int batchAccounts) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
        this.grace = grace;
        this.batchAccounts = batchAccounts;
    }

    /** One run: the number of holds marked EXPIRED. */
    public int sweep() {
        Instant before = clock.instant().minus(grace);
        // a hold dated in the past (a replay, a demo, a batch reported late) has an expiry long gone on this clock
        // the moment it is made: it is left until it has been in the table longer than the longest ttl, so that the
        // commit its caller is about to send is not refused because the sweeper came first
        Instant recordedBy = before.minusSeconds(HoldService.TTL_MAX_SECONDS);
        List<String> accounts = store.inTransaction(tx -> tx.holds().accountsWithOpenHoldsExpiredBy(before,
                recordedBy, batchAccounts));
        int marked = 0;
        for (String account : accounts) {
            marked += store.inTransaction(tx -> tx.accounts().tryLock(account).map(row -> {
                List<ExpiredHold> expired = tx.holds().expireRecordedBy(account, before, recordedBy);
                if (!expired.isEmpty()) {
                    // announced as a change of its own, at the latest expiry; its first hold names it (ids stay unique)
                    Instant at = expired.stream().map(ExpiredHold::expiresAt).max(Instant::compareTo).orElseThrow();
                    EventRecorder.record(tx, engine.current(), clock, Accounts.change(tx, row, "HOLD_EXPIRY",
                            expired.get(0).holdId(), at, Accounts.expired(expired)));
                }
                return expired.size();
            }).orElse(0));
        }
        return marked;
    }
}

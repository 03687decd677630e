package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import dev.creditspolicy.store.LotDao;
import dev.creditspolicy.store.Store.Tx;

/** What a new lot may not exceed on its account: the credits held at once, and the lots active at once. */
record LotLimits(int activeLots) {
    /**
     * The most credits an account may hold at any one instant: every balance, balance after and total the ledger
     * stores or answers then fits its NUMERIC(19,4) columns. A new lot is refused when, with the credits left in
     * every lot of the account whose validity overlaps its own, it would exceed this; since lots only shrink
     * (usage, earlier expiry) an accepted grant keeps every later call answerable.
     */
    public static final BigDecimal MAX_HELD = new BigDecimal("999999999999999");

    /**
     * Both limits on a new lot valid over [from, to): the credits ({@link #MAX_HELD}) and the lots with credits left
     * valid at some instant of it ({@code credits.limits.active-lots}, counted in the database: a lot overlapping
     * the new one may not overlap the others, so this may refuse a little early, never late).
     */
    void check(Tx tx, String accountId, BigDecimal amount, Instant from, Instant to, String field) {
        LotDao.Overlap overlap = tx.lots().overlapping(accountId, from, to);
        BigDecimal held = overlap.remaining();
        if (held.add(amount).compareTo(MAX_HELD) > 0) {
            throw new Problem(Problem.CREDITS_LIMIT_EXCEEDED, "Account credits limit exceeded",
                    "the account would hold more than " + MAX_HELD.toPlainString() + " credits at once: it holds "
                            + held.stripTrailingZeros().toPlainString() + " in lots overlapping "
                            + from + " to " + to, field, null);
        }
        if (overlap.lots() >= activeLots) {
            throw new Problem(Problem.TOO_MANY_LOTS, "Too many active lots", "the account would hold more than "
                    + activeLots + " lots with credits active at once (credits.limits.active-lots): "
                    + overlap.lots() + " lots with credits overlap " + from + " to " + to, field,
                    Map.of("activeLots", activeLots));
        }
    }
}

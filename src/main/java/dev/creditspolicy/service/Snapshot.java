package dev.creditspolicy.service;

import java.time.Instant;
import java.util.List;

import dev.creditspolicy.events.AccountChange;
import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.policy.facts.HoldExpired;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.LotRow;

/**
 * The account as a decision sees it at the event instant {@code at}, loaded ({@link Snapshots#load}) before the
 * {@link Decider} runs: the plan then; the lots that can pay then, with what open holds reserve taken out (in explain
 * mode every lot of the account, none dropped); and, for a hold's commit, what that hold still reserves ({@code
 * held}). {@code expired}: the holds the load marked expired by {@code at}, announced with the change the request
 * makes.
 */
record Snapshot(AccountRow account, Instant at, Plan plan, List<LotRow> lots, List<Allocation> held,
                List<HoldExpired> expired) {

    /**
     * How a request looks at the account: whether it may draw (then the holds expired by its instant are marked
     * first: they can no longer be committed, and it may take their credits), whether it explains (then it sees every
     * lot), and the hold it settles (whose reservation is not taken out of the lots but handed over as {@code held}).
     */
    record Sight(boolean draws, boolean explains, String settling) {
        /** A request that changes nothing (evaluate; the facts of a change for alerts.drl). */
        static final Sight READ = new Sight(false, false, null);
        /** A request that may draw: a usage call, a hold. */
        static final Sight DRAW = new Sight(true, false, null);

        /** A hold's commit: it may draw, and its own hold's reservation is its to spend. */
        static Sight settling(String holdId) {
            return new Sight(true, false, holdId);
        }
    }

    /** A change of the account at this instant, as alerts.drl is asked about it ({@code did}: what it did). */
    AccountChange change(String kind, String ref, List<?> did) {
        return new AccountChange(account.accountId(), account.realm(), plan, kind, ref, at, lots, List.copyOf(did));
    }
}

package dev.creditspolicy.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import dev.creditspolicy.events.AccountChange;
import dev.creditspolicy.events.EventRecorder;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.facts.HoldExpired;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Snapshot.Sight;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.ExpiredHold;
import dev.creditspolicy.store.Rows.EventKind;
import dev.creditspolicy.store.Rows.EventRow;
import dev.creditspolicy.store.Store.Tx;

/** Account look-ups every service needs, inside the caller's transaction. */
final class Accounts {
    private Accounts() {
    }

    static AccountRow find(Tx tx, String accountId) {
        return tx.accounts().find(accountId).orElseThrow(() -> Problem.unknownAccount(accountId));
    }

    /** Takes the account's row lock: from here to commit, no other request changes this account's lots. */
    static AccountRow lock(Tx tx, String accountId) {
        return tx.accounts().lock(accountId).orElseThrow(() -> Problem.unknownAccount(accountId));
    }

    /** A generated lot id, deterministic under the account lock so replays produce the same ids. */
    static String nextLotId(Tx tx, AccountRow account, String kind) {
        // lot ids are at most 128 characters, like account ids: a long account id is cut to leave room
        String prefix = account.accountId().length() > 100 ? account.accountId().substring(0, 100)
                : account.accountId();
        long n = tx.lots().count(account.accountId()) + 1;
        String id = prefix + "-" + kind + "-" + n;
        while (tx.lots().find(id).isPresent()) {
            id = prefix + "-" + kind + "-" + (++n);
        }
        return id;
    }

    /** Notes the request in the account's event order (what `record` and `rules impact` replay). */
    static void event(Tx tx, Clock clock, String accountId, EventKind kind, String ref) {
        tx.accounts().insertEvent(new EventRow(null, accountId, kind, ref, clock.instant()));
    }

    /**
     * Notes the change in the account's event order and writes, in its transaction, the events alerts.drl raises
     * for it ({@code did}: the facts of what the change itself did), measured at its event time {@code at}.
     */
    static void changed(Tx tx, RuleSet rules, Clock clock, AccountRow account, EventKind kind, String ref, Instant at,
                        List<?> did) {
        event(tx, clock, account.accountId(), kind, ref);
        EventRecorder.record(tx, rules, clock, change(tx, account, kind.name(), ref, at, did));
    }

    /** The change as alerts.drl is asked about it: the plan and the available lots at its event time. */
    static AccountChange change(Tx tx, AccountRow account, String kind, String ref, Instant at, List<?> did) {
        return Snapshots.reading(tx).load(account, at, Sight.READ).change(kind, ref, did);
    }

    /** A request that names a realm must name the account's: credits of different realms never mix. */
    static void checkRealm(Realm named, AccountRow account) {
        if (named != null && named != account.realm()) {
            throw new Problem(Problem.REALM_MISMATCH, "Realm mismatch", "account '" + account.accountId()
                    + "' belongs to realm " + account.realm() + ", the call names " + named
                    + "; credits of different realms are never interchangeable", "realm", null);
        }
    }

    /** The facts of holds a request found expired (each announced by a hold.expired event). */
    static List<HoldExpired> expired(List<ExpiredHold> holds) {
        return holds.stream().map(h -> new HoldExpired(h.holdId(), h.held(), h.expiresAt())).toList();
    }

    static List<String> splitRules(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split("\n"));
    }
}

package dev.creditspolicy.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import dev.creditspolicy.store.Rows.AccountRow;
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

    static List<String> splitRules(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split("\n"));
    }
}

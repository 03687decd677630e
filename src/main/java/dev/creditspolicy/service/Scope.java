package dev.creditspolicy.service;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Rows.HoldRow;
import dev.creditspolicy.store.Store.Tx;

/**
 * Who is asking, as data the service can check: the caller's name (a key's name, for the audit) and the realms it
 * may touch (SPEC section 8). To a caller, an account (or a decision) of a realm it may not touch does not exist:
 * the refusal is exactly the one an unknown id gets. Creating an account in such a realm is {@code forbidden}.
 */
public record Scope(String actor, Set<Realm> realms) {
    /** The replay tool, the command line and tests: every realm. */
    public static final Scope ALL = new Scope("system", EnumSet.allOf(Realm.class));

    public Scope {
        realms = realms.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(realms));
    }

    public boolean permits(Realm realm) {
        return realms.contains(realm);
    }

    /** Creating an account in a realm the caller may not touch: 403, before anything runs. */
    public void admitCreation(Realm realm) {
        if (realm != null && !permits(realm)) {
            throw new Problem(Problem.FORBIDDEN, "Forbidden", "this key may not touch realm " + realm, "realm",
                    null);
        }
    }

    /** An existing account of another realm answers as an unknown account would; an unknown one is left to the service. */
    public void admitAccount(AccountService accounts, String accountId) {
        if (accountId == null || realms.size() == Realm.values().length) {
            return;
        }
        Optional<Realm> realm = accounts.realmOf(accountId);
        if (realm.isPresent() && !permits(realm.get())) {
            throw Problem.unknownAccount(accountId);
        }
    }

    /** A hold of a realm the caller may not touch answers as an unknown hold (the same 404). */
    public void admitHold(CreditsServices services, String holdId) {
        admit(services, holdId, tx -> tx.holds().find(holdId).map(HoldRow::realm), () -> Problem.unknownHold(holdId));
    }

    /** A stored decision of another realm answers as an unknown request id would. */
    public void admitRequest(CreditsServices services, String requestId) {
        admit(services, requestId, tx -> tx.usage().find(requestId).map(DecisionRow::realm),
                () -> Problem.unknownRequest(requestId));
    }

    /** A decision of a realm the caller may not touch cannot be reversed: it answers as an unknown request. */
    public void admitReversal(CreditsServices services, String requestId) {
        admit(services, requestId, tx -> tx.usage().find(requestId).map(DecisionRow::realm),
                () -> Problem.unknownReversalTarget(requestId));
    }

    /** The one check behind the three above: a record of a realm the caller may not touch answers {@code hidden}. */
    private void admit(CreditsServices services, String id, Function<Tx, Optional<Realm>> realmOf,
                       Supplier<Problem> hidden) {
        if (id == null || realms.size() == Realm.values().length) {
            return;
        }
        Optional<Realm> realm = services.store().inTransaction(realmOf);
        if (realm.isPresent() && !permits(realm.get())) {
            throw hidden.get();
        }
    }
}

package dev.creditspolicy.replay;

import java.util.ArrayList;
import java.util.List;

import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.requests.RequestKind;
import dev.creditspolicy.requests.RequestKind.Stored;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.AccountEvent;

/**
 * An account's stored history as a scenario: its requests in the order they were applied, each rebuilt by its
 * request kind, with the answer it got as the expectation where the kind records one. What {@code record} writes
 * and {@code rules impact} replays. Reads the ledger through the services only.
 */
public final class History {
    private History() {
    }

    public static Scenario of(CreditsServices services, String accountId) {
        List<Scenario.Step> steps = new ArrayList<>();
        for (AccountEvent e : services.accounts().events(accountId)) {
            steps.add(step(Kinds.ofEvent(e.kind()), services, accountId, e.ref(), steps.size() + 1));
        }
        return new Scenario("account " + accountId, "recorded history of account " + accountId, steps);
    }

    private static <C extends Record, R> Scenario.Step step(RequestKind<C, R> kind, CreditsServices services,
                                                            String accountId, String ref, int index) {
        Stored<C, R> stored = kind.stored(services, accountId, ref);
        return new Scenario.Step(index, 0, kind.step(), kind.toStep(stored.command()),
                kind.recordedExpect(stored.result()), 0);
    }
}

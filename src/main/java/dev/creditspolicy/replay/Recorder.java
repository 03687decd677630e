package dev.creditspolicy.replay;

import dev.creditspolicy.store.Store;

/** {@code record}: an account's stored history as a scenario file, so a production case becomes a regression. */
public final class Recorder {
    private Recorder() {
    }

    public static String record(Store store, String accountId) {
        return ScenarioWriter.yaml(History.of(store, accountId),
                "recorded from the ledger; the expectations are the answers the account got");
    }
}

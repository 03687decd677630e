package dev.creditspolicy.replay;

import dev.creditspolicy.service.CreditsServices;

/** {@code record}: an account's stored history as a scenario file, so a production case becomes a regression. */
public final class Recorder {
    private Recorder() {
    }

    public static String record(CreditsServices services, String accountId) {
        return ScenarioWriter.yaml(History.of(services, accountId),
                "recorded from the ledger; the expectations are the answers the account got");
    }
}

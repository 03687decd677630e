package dev.creditspolicy.service;

import dev.creditspolicy.policy.RulesCompiler;

/** The fingerprint of a command's canonical form, stored to tell a retry (same body) from a conflict. */
final class Hashes {
    private Hashes() {
    }

    static String of(Record command) {
        return RulesCompiler.sha256(command.toString());
    }
}

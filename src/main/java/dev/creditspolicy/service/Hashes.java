package dev.creditspolicy.service;

import dev.creditspolicy.policy.Sha256;

/** The fingerprint of a command's canonical form, stored to tell a retry (same body) from a conflict. */
final class Hashes {
    private Hashes() {
    }

    static String of(Record command) {
        return Sha256.hex(command.toString());
    }
}

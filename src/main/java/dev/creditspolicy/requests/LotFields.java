package dev.creditspolicy.requests;

import java.util.Set;

/** The fields of a lot as answers show it: what cycle, grant and lots steps may expect of a lot. */
final class LotFields {
    static final Set<String> NAMES = Set.of("lotId", "type", "source", "plan", "originProduct", "reason", "amount",
            "remaining", "effectiveAt", "expiresAt", "initialExpiresAt", "active", "voided", "voidedAt", "voidReason");

    private LotFields() {
    }
}

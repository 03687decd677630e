package dev.creditspolicy.requests;

import java.util.Set;

/**
 * The fields of a lot as answers show it: what cycle, grant and lots steps may expect of a lot; and where a lot
 * granted is (its address is where a void names it).
 */
final class LotFields {
    static final Set<String> NAMES = Set.of("lotId", "type", "source", "plan", "originProduct", "reason", "amount",
            "remaining", "effectiveAt", "expiresAt", "initialExpiresAt", "active", "voided", "voidedAt", "voidReason");
    static final String LOCATION = "/v1/accounts/{accountId}/lots/{lotId}";

    private LotFields() {
    }
}

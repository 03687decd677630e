package dev.creditspolicy.access;

import java.time.Instant;
import java.util.Set;

import dev.creditspolicy.policy.facts.Realm;

/** A key as its callers see it: never its secret, nor the secret's hash. */
public record ApiKey(String name, Set<Role> roles, Set<Realm> realms, Instant createdAt, Instant lastUsedAt,
                     Instant revokedAt) {
    public boolean revoked() {
        return revokedAt != null;
    }
}

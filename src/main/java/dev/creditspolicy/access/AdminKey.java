package dev.creditspolicy.access;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.creditspolicy.policy.Sha256;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.store.KeyDao.KeyRow;
import dev.creditspolicy.store.Store;

/**
 * The key named {@value Keys#ADMIN} at start (SPEC section 8): it is created, or re-created after a revocation, only
 * while no other valid key holds admin for every realm, so a revoked admin key does not come back on a restart
 * once its holders have made their own. While it is valid, the configured secret ({@code credits.admin-key}) is its
 * secret (changing the setting rotates it). Without a configured secret, a development key is created the same way
 * and its secret answered once, to be printed. Each start answers one line saying which of these happened.
 */
public final class AdminKey {
    /** What a start did: the line to log, its level, and the secret of a new development key (else null). */
    public record Outcome(String line, boolean warn, String developmentSecret) {
    }

    private final Store store;
    private final Clock clock;
    private final Keys keys;

    public AdminKey(Store store, Clock clock, Keys keys) {
        this.store = store;
        this.clock = clock;
        this.keys = keys;
    }

    public Outcome bootstrap(String configured) {
        boolean fromSetting = configured != null && !configured.isBlank();
        String secret = fromSetting ? configured : Keys.newSecret();
        String hash = Sha256.hex(secret);
        String roles = Keys.join(Set.of(Role.ADMIN));
        String realms = Keys.join(EnumSet.allOf(Realm.class));
        String source = fromSetting ? "from credits.admin-key" : "as a DEVELOPMENT key";
        Outcome outcome = store.inTransaction(tx -> {
            List<ApiKey> valid = tx.keys().lockValid().stream().map(Keys::key).toList();
            long others = valid.stream().filter(k -> !k.name().equals(Keys.ADMIN)).filter(Keys::allRealmAdmin)
                    .count();
            Optional<KeyRow> row = tx.keys().byName(Keys.ADMIN);
            Optional<ApiKey> current = row.map(Keys::key);
            if (current.isPresent() && !current.get().revoked()) {
                if (!fromSetting) {
                    return new Outcome("admin key: the key 'admin' exists (its secret is not shown again)", false,
                            null);
                }
                boolean same = row.get().secretSha256().equals(hash);
                tx.keys().replace(Keys.ADMIN, hash, roles, realms);
                return new Outcome(same ? "admin key: the key 'admin' is credits.admin-key"
                        : "admin key: the key 'admin' now has the secret of credits.admin-key (changed)", false,
                        null);
            }
            if (others > 0) {
                String state = current.map(k -> "stays revoked (since " + k.revokedAt() + ")")
                        .orElse("is not created");
                return new Outcome("admin key: the key 'admin' " + state + ": " + others + " other key(s) hold "
                        + "admin for every realm" + (fromSetting ? "; credits.admin-key is not used" : ""), false,
                        null);
            }
            if (current.isPresent()) {
                tx.keys().replace(Keys.ADMIN, hash, roles, realms);
            } else {
                tx.keys().insert(new KeyRow(Keys.ADMIN, hash, roles, realms, clock.instant(), null, null));
            }
            String what = current.isPresent() ? "re-created the revoked key 'admin' " + source
                    + ": no other key holds admin for every realm" : "created the key 'admin' " + source;
            return new Outcome("admin key: " + what, current.isPresent(), fromSetting ? null : secret);
        });
        keys.forgetCached();
        return outcome;
    }
}

package dev.creditspolicy.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.creditspolicy.paging.Cursor;
import dev.creditspolicy.paging.Page;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.Sha256;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.store.KeyDao.KeyRow;
import dev.creditspolicy.store.Store;

/**
 * The API keys: created with a random secret shown once (only its SHA-256 is stored), listed without secrets,
 * revoked. Look-ups are cached for {@link #CACHE_TTL} (unknown secrets too), so checking a key costs no database
 * round trip on most requests, and a key revoked through another instance is refused here within that time; a
 * revocation through this instance drops its entries at once. Last-used instants are written in batches.
 */
public final class Keys {
    /** How long a look-up is trusted: SPEC section 8 allows 5 s for a revocation to reach every instance. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(2);
    public static final String ADMIN = "admin";
    static final int MAX_CACHED = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Cached(ApiKey key, long loadedAtNanos) {
    }

    /** A new key and its secret, which is never shown again. */
    public record Created(ApiKey key, String secret) {
    }

    private final Store store;
    private final Clock clock;
    private final Map<String, Cached> bySecretHash = new ConcurrentHashMap<>();
    private final Map<String, Instant> usedSinceFlush = new ConcurrentHashMap<>();

    public Keys(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * A new key made by {@code minter}: only with roles and realms within the minter's own ({@link #within}), else
     * {@code forbidden} and nothing stored.
     */
    public Created create(ApiKey minter, String name, Set<Role> roles, Set<Realm> realms) {
        if (!within(minter, roles, realms)) {
            throw new Problem(Problem.FORBIDDEN, "Forbidden", "a key may create only keys whose roles and realms are "
                    + "within its own", minter.realms().containsAll(realms) ? "roles" : "realms", null);
        }
        String secret = newSecret();
        KeyRow row = new KeyRow(name, Sha256.hex(secret), join(roles), join(realms), clock.instant(), null, null);
        store.inTransaction(tx -> {
            if (tx.keys().byName(name).isPresent()) {
                throw new Problem(Problem.KEY_EXISTS, "Key exists", "a key named '" + name + "' exists", "name",
                        null);
            }
            tx.keys().insert(row);
            return null;
        });
        return new Created(key(row), secret);
    }

    /** A page of the keys, newest first. */
    public Page<ApiKey> list(PageRequest page) {
        flushLastUsed();
        return Page.of(store.inTransaction(tx -> tx.keys().page(page)), page,
                r -> new Cursor(r.createdAt(), r.name())).map(Keys::key);
    }

    /**
     * Refused by this instance from now on; by the others once their cached look-up is older than the TTL. Only a
     * key within the revoker's roles and realms ({@code forbidden}); never the last valid key holding admin for
     * every realm ({@code last-admin}), so the service always keeps one key that can manage every key.
     */
    public ApiKey revoke(ApiKey by, String name) {
        ApiKey revoked = store.inTransaction(tx -> {
            List<ApiKey> valid = tx.keys().lockValid().stream().map(Keys::key).toList();
            ApiKey target = valid.stream().filter(k -> k.name().equals(name)).findFirst()
                    .orElseThrow(() -> new Problem(Problem.UNKNOWN_KEY, "Unknown key", "no valid key named '"
                            + Fields.shown(name) + "'", "name", null));
            if (!within(by, target.roles(), target.realms())) {
                throw new Problem(Problem.FORBIDDEN, "Forbidden", "a key may revoke only keys whose roles and "
                        + "realms are within its own", "name", null);
            }
            if (allRealmAdmin(target) && valid.stream().filter(Keys::allRealmAdmin).count() == 1) {
                throw new Problem(Problem.LAST_ADMIN, "Last admin key", "'" + name + "' is the last valid key "
                        + "holding admin for every realm; create another before revoking it", "name", null);
            }
            tx.keys().revoke(name, clock.instant());
            return key(tx.keys().byName(name).orElseThrow());
        });
        bySecretHash.values().removeIf(c -> c.key() != null && c.key().name().equals(name));
        return revoked;
    }

    /** Whether a key holding {@code holder}'s roles and realms may give these to a key (or take them away). */
    public static boolean within(ApiKey holder, Set<Role> roles, Set<Realm> realms) {
        return holder.realms().containsAll(realms)
                && roles.stream().allMatch(r -> holder.roles().stream().anyMatch(h -> h.covers(r)));
    }

    /** A valid key that may manage every key: admin, every realm. */
    static boolean allRealmAdmin(ApiKey k) {
        return !k.revoked() && k.roles().contains(Role.ADMIN) && k.realms().containsAll(EnumSet.allOf(Realm.class));
    }

    /** The valid key of a secret, or null (unknown or revoked). */
    public ApiKey authenticate(String secret) {
        String hash = Sha256.hex(secret);
        long now = System.nanoTime();
        Cached cached = bySecretHash.get(hash);
        if (cached == null || now - cached.loadedAtNanos() > CACHE_TTL.toNanos()) {
            ApiKey found = store.inTransaction(tx -> tx.keys().bySecretHash(hash)).map(Keys::key)
                    .filter(k -> !k.revoked()).orElse(null);
            if (bySecretHash.size() >= MAX_CACHED) {
                bySecretHash.clear();
            }
            cached = new Cached(found, now);
            bySecretHash.put(hash, cached);
        }
        if (cached.key() != null) {
            usedSinceFlush.put(cached.key().name(), clock.instant());
        }
        return cached.key();
    }

    /** Writes the last-used instants gathered since the previous flush (called every few seconds). */
    public void flushLastUsed() {
        if (usedSinceFlush.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = Map.copyOf(usedSinceFlush);
        batch.forEach((name, at) -> usedSinceFlush.remove(name, at));
        store.inTransaction(tx -> {
            batch.forEach(tx.keys()::touch);
            return null;
        });
    }

    /** Forgets every cached look-up (the admin key's secret was set at start). */
    void forgetCached() {
        bySecretHash.clear();
    }

    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "cpk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String join(Set<? extends Enum<?>> values) {
        return values.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    static ApiKey key(KeyRow row) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream(row.roles().split(",")).filter(s -> !s.isEmpty()).map(Role::valueOf).forEach(roles::add);
        Set<Realm> realms = EnumSet.noneOf(Realm.class);
        Arrays.stream(row.realms().split(",")).filter(s -> !s.isEmpty()).map(Realm::valueOf).forEach(realms::add);
        return new ApiKey(row.name(), Set.copyOf(roles), Set.copyOf(realms), row.createdAt(), row.lastUsedAt(),
                row.revokedAt());
    }
}

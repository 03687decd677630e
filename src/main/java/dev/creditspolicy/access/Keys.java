package dev.creditspolicy.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.creditspolicy.paging.Cursor;
import dev.creditspolicy.paging.Page;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.Sha256;
import dev.creditspolicy.policy.facts.Realm;
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

    public Created create(String name, Set<Role> roles, Set<Realm> realms) {
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

    /** Refused by this instance from now on; by the others once their cached look-up is older than the TTL. */
    public ApiKey revoke(String name) {
        ApiKey revoked = store.inTransaction(tx -> {
            if (tx.keys().revoke(name, clock.instant()) == 0) {
                throw new Problem(Problem.UNKNOWN_KEY, "Unknown key", "no valid key named '" + name + "'", "name",
                        null);
            }
            return key(tx.keys().byName(name).orElseThrow());
        });
        bySecretHash.values().removeIf(c -> c.key() != null && c.key().name().equals(name));
        return revoked;
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

    /**
     * The first admin key. A configured secret ({@code credits.admin-key}) is the key named {@value #ADMIN}, every
     * realm, whatever was stored under that name before. Without one, the first start creates a development key
     * and answers its secret (to be printed once); later starts answer null.
     */
    public String bootstrapAdmin(String configured) {
        String roles = join(Set.of(Role.ADMIN));
        String realms = join(EnumSet.allOf(Realm.class));
        if (configured != null && !configured.isBlank()) {
            String hash = Sha256.hex(configured);
            store.inTransaction(tx -> {
                if (tx.keys().replace(ADMIN, hash, roles, realms) == 0) {
                    tx.keys().insert(new KeyRow(ADMIN, hash, roles, realms, clock.instant(), null, null));
                }
                return null;
            });
            bySecretHash.clear();
            return null;
        }
        String secret = newSecret();
        boolean created = store.inTransaction(tx -> {
            if (tx.keys().byName(ADMIN).isPresent()) {
                return false;
            }
            tx.keys().insert(new KeyRow(ADMIN, Sha256.hex(secret), roles, realms, clock.instant(), null, null));
            return true;
        });
        return created ? secret : null;
    }

    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "cpk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String join(Set<? extends Enum<?>> values) {
        return values.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    private static ApiKey key(KeyRow row) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream(row.roles().split(",")).filter(s -> !s.isEmpty()).map(Role::valueOf).forEach(roles::add);
        Set<Realm> realms = EnumSet.noneOf(Realm.class);
        Arrays.stream(row.realms().split(",")).filter(s -> !s.isEmpty()).map(Realm::valueOf).forEach(realms::add);
        return new ApiKey(row.name(), Set.copyOf(roles), Set.copyOf(realms), row.createdAt(), row.lastUsedAt(),
                row.revokedAt());
    }
}

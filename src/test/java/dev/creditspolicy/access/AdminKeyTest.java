package dev.creditspolicy.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;

/**
 * The key of {@code credits.admin-key} across restarts (SPEC section 8, additions of 2026-12): each start is a new
 * {@link Keys} and {@link AdminKey} over the same database, as a restarted service has.
 */
@DisplayName("credits.admin-key at start: re-created only while no other key holds admin for every realm")
class AdminKeyTest {
    private static final String SECRET = "cpk_configured-admin-secret";
    private final Store store = new Store(TestDatabases.fresh("admin_key"));
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    /** A start of the service: fresh instances (no cache) over the same database. */
    private AdminKey.Outcome start(String configured) {
        return new AdminKey(store, clock, new Keys(store, clock)).bootstrap(configured);
    }

    private ApiKey authenticate(String secret) {
        return new Keys(store, clock).authenticate(secret);
    }

    @Test
    @DisplayName("a revoked admin key stays revoked on restart while another all-realm admin exists, and the log says so")
    void aRevokedAdminKeyStaysRevokedOnRestart() {
        assertEquals("admin key: created the key 'admin' from credits.admin-key", start(SECRET).line());
        Keys keys = new Keys(store, clock);
        ApiKey admin = keys.authenticate(SECRET);
        Keys.Created ops = keys.create(admin, "ops-admin", Set.of(Role.ADMIN), EnumSet.allOf(Realm.class));
        keys.revoke(ops.key(), "admin");
        assertNull(authenticate(SECRET));

        AdminKey.Outcome restart = start(SECRET);
        assertNull(authenticate(SECRET), "the revoked admin key came back on restart");
        assertTrue(restart.line().startsWith("admin key: the key 'admin' stays revoked (since 2026-12-01T00:00:00Z): "
                + "1 other key(s) hold admin for every realm; credits.admin-key is not used"), restart.line());
        assertFalse(restart.warn());
        assertNotNull(authenticate(ops.secret()));
        assertFalse(restart.line().contains(SECRET));
    }

    @Test
    @DisplayName("with no other all-realm admin left (a database edited by hand), a start re-creates it and warns")
    void aStartReCreatesTheAdminKeyWhenNoOtherAdminExists() {
        start(SECRET);
        new Keys(store, clock).create(authenticate(SECRET), "cn-admin", Set.of(Role.ADMIN), Set.of(Realm.QODER_CN));
        store.inTransaction(tx -> tx.keys().revoke("admin", clock.instant()));
        AdminKey.Outcome restart = start(SECRET);
        assertEquals("admin key: re-created the revoked key 'admin' from credits.admin-key: no other key holds "
                + "admin for every realm", restart.line());
        assertTrue(restart.warn());
        assertEquals(EnumSet.allOf(Realm.class), authenticate(SECRET).realms());
    }

    @Test
    @DisplayName("a valid admin key takes the configured secret: unchanged, or rotated when the setting changed")
    void theConfiguredSecretRotatesAValidAdminKey() {
        start(SECRET);
        assertEquals("admin key: the key 'admin' is credits.admin-key", start(SECRET).line());
        assertEquals("admin key: the key 'admin' now has the secret of credits.admin-key (changed)",
                start(SECRET + "-2").line());
        assertNull(authenticate(SECRET));
        assertEquals("admin", authenticate(SECRET + "-2").name());
    }

    @Test
    @DisplayName("without a setting: a development key at the first start, shown once; never again, even revoked")
    void aDevelopmentKeyIsCreatedOnceAndNotBroughtBack() {
        AdminKey.Outcome first = start("");
        assertNotNull(first.developmentSecret());
        ApiKey dev = authenticate(first.developmentSecret());
        assertEquals("admin", dev.name());
        AdminKey.Outcome second = start(null);
        assertNull(second.developmentSecret());
        assertEquals("admin key: the key 'admin' exists (its secret is not shown again)", second.line());

        Keys keys = new Keys(store, clock);
        Keys.Created other = keys.create(dev, "other-admin", Set.of(Role.ADMIN), EnumSet.allOf(Realm.class));
        keys.revoke(dev, "admin"); // an admin may revoke itself while another all-realm admin remains
        Problem last = assertThrows(Problem.class, () -> keys.revoke(other.key(), "other-admin"));
        assertEquals(Problem.LAST_ADMIN, last.slug());
        AdminKey.Outcome third = start(null);
        assertNull(third.developmentSecret());
        assertTrue(third.line().contains("stays revoked"), third.line());
        assertNull(authenticate(first.developmentSecret()));
    }
}

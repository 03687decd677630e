package dev.creditspolicy.store;

import static dev.creditspolicy.store.Columns.instant;
import static dev.creditspolicy.store.Columns.text;
import static dev.creditspolicy.store.Columns.timestamp;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import dev.creditspolicy.paging.PageRequest;

/** The API keys: only the SHA-256 of each secret; roles and realms as comma-separated names. */
public final class KeyDao {
    /** One key as stored. {@code revokedAt} null: the key is valid. */
    public record KeyRow(String name, String secretSha256, String roles, String realms, Instant createdAt,
                         Instant lastUsedAt, Instant revokedAt) {
    }

    private static final RowMapper<KeyRow> KEY = (rs, ctx) -> new KeyRow(rs.getString("name"),
            rs.getString("secret_sha256"), rs.getString("roles"), rs.getString("realms"), instant(rs, "created_at"),
            instant(rs, "last_used_at"), instant(rs, "revoked_at"));

    private static final Keyset PAGE = new Keyset("created_at", "name", false);

    private final Handle handle;

    KeyDao(Handle handle) {
        this.handle = handle;
    }

    public void insert(KeyRow row) {
        handle.createUpdate("INSERT INTO api_keys (name, secret_sha256, roles, realms, created_at) "
                        + "VALUES (:name, :hash, :roles, :realms, :createdAt)")
                .bind("name", text(row.name()))
                .bind("hash", text(row.secretSha256()))
                .bind("roles", text(row.roles()))
                .bind("realms", text(row.realms()))
                .bind("createdAt", timestamp(row.createdAt()))
                .execute();
    }

    public Optional<KeyRow> byName(String name) {
        return handle.createQuery("SELECT * FROM api_keys WHERE name = :name").bind("name", text(name)).map(KEY)
                .findOne();
    }

    public Optional<KeyRow> bySecretHash(String hash) {
        return handle.createQuery("SELECT * FROM api_keys WHERE secret_sha256 = :hash").bind("hash", text(hash))
                .map(KEY).findOne();
    }

    /** A page of the keys, newest first. */
    public List<KeyRow> page(PageRequest page) {
        return PAGE.bind(handle.createQuery("SELECT * FROM api_keys WHERE 1 = 1" + PAGE.sql(page)), page)
                .map(KEY).list();
    }

    /**
     * The valid keys, locked until the transaction ends: a revocation counts the admin keys left while no other
     * revocation can change them (two admins revoking each other at once: the second waits, then sees the first).
     */
    public List<KeyRow> lockValid() {
        return handle.createQuery("SELECT * FROM api_keys WHERE revoked_at IS NULL ORDER BY name FOR UPDATE")
                .map(KEY).list();
    }

    /** Replaces the secret, roles and realms of a key and makes it valid again (the configured admin key). */
    public int replace(String name, String hash, String roles, String realms) {
        return handle.createUpdate("UPDATE api_keys SET secret_sha256 = :hash, roles = :roles, realms = :realms, "
                        + "revoked_at = NULL WHERE name = :name")
                .bind("name", text(name)).bind("hash", text(hash)).bind("roles", text(roles))
                .bind("realms", text(realms)).execute();
    }

    public int revoke(String name, Instant at) {
        return handle.createUpdate("UPDATE api_keys SET revoked_at = :at WHERE name = :name AND revoked_at IS NULL")
                .bind("name", text(name)).bind("at", timestamp(at)).execute();
    }

    public Optional<String> sharedSecret(String name) {
        return handle.createQuery("SELECT secret FROM access_secrets WHERE name = :name").bind("name", text(name))
                .mapTo(String.class).findOne();
    }

    public void insertSharedSecret(String name, String secret) {
        handle.createUpdate("INSERT INTO access_secrets (name, secret) VALUES (:name, :secret)")
                .bind("name", text(name)).bind("secret", text(secret)).execute();
    }

    /** Moves last-used forward only: instances flush their batches in any order. */
    public void touch(String name, Instant at) {
        handle.createUpdate("UPDATE api_keys SET last_used_at = :at WHERE name = :name "
                        + "AND (last_used_at IS NULL OR last_used_at < :at)")
                .bind("name", text(name)).bind("at", timestamp(at)).execute();
    }
}

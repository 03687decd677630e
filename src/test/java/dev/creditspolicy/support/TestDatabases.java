package dev.creditspolicy.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

import dev.creditspolicy.store.Databases;

/**
 * The database a test runs on: H2 by default, PostgreSQL when {@code -Dcredits.test.db=postgres} (the second pass
 * of the test command). Each call gives a fresh, empty, migrated database (a new in-memory H2, or a new schema).
 */
public final class TestDatabases {
    public static final String KIND = System.getProperty("credits.test.db", "h2");
    public static final String PG_URL = setting("credits.test.pg.url", "CREDITS_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = System.getProperty("credits.test.pg.user", "postgres");

    private TestDatabases() {
    }

    /** A system property if set (and not "false"/empty), else an environment variable, else the default. */
    public static String setting(String property, String env, String fallback) {
        String p = System.getProperty(property);
        if (p != null && !p.isBlank() && !p.equals("false")) {
            return p;
        }
        String e = System.getenv(env);
        return e != null && !e.isBlank() ? e : (p != null && !p.isBlank() ? p : fallback);
    }

    /** CI sets CREDITS_TEST_PG_REQUIRED=true: there, a PostgreSQL that cannot be reached fails the run. */
    private static final boolean PG_REQUIRED = Boolean.parseBoolean(setting("credits.test.pg.required",
            "CREDITS_TEST_PG_REQUIRED", "false"));
    private static Boolean pgReachable;

    public static boolean postgres() {
        return KIND.equals("postgres");
    }

    /**
     * In the PostgreSQL pass, a test that needs the database is skipped, loudly, when PostgreSQL cannot be
     * reached, so the test command still passes on a machine without it; CI sets credits.test.pg.required.
     */
    private static synchronized void requirePostgres() {
        if (!postgresReachable()) {
            if (PG_REQUIRED) {
                throw new IllegalStateException("PostgreSQL pass required but " + PG_URL + " is not reachable");
            }
            Assumptions.abort("PostgreSQL pass not run: " + PG_URL + " is not reachable");
        }
    }

    /** Whether the PostgreSQL of the second pass answers; says loudly, once, when it does not. */
    static synchronized boolean postgresReachable() {
        if (pgReachable == null) {
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
                pgReachable = c.isValid(2);
            } catch (SQLException e) {
                pgReachable = false;
            }
            if (!pgReachable) {
                System.err.println("\n*** PostgreSQL pass NOT RUN: " + PG_URL + " is not reachable; the tests "
                        + "that need it are skipped. Start PostgreSQL (see README) to run them. ***\n");
            }
        }
        return pgReachable;
    }

    public static boolean postgresRequired() {
        return PG_REQUIRED;
    }

    public static DataSource fresh(String label) {
        if (!postgres()) {
            return Databases.freshInMemory(label);
        }
        requirePostgres();
        String schema = freshSchema();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        ds.setUser(PG_USER);
        Flyway.configure().dataSource(ds).schemas(schema).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    /** Points a Spring Boot test at a fresh database of the selected kind. */
    /** The admin key every test service starts with ({@code credits.admin-key}). */
    public static final String ADMIN_KEY = "cpk_test-admin-key-for-tests-only";

    /** The key webhook secrets are encrypted under in tests: the base64 of 32 bytes. */
    public static final String WEBHOOK_SECRET_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    public static void register(DynamicPropertyRegistry registry) {
        // the hold sweeper runs on the wall clock: a test's holds are dated in 2026 and would be swept mid-test
        registry.add("credits.holds.sweep-seconds", () -> "0");
        registry.add("credits.admin-key", () -> ADMIN_KEY);
        // as production must set it (on PostgreSQL there is no development key, webhooks answer 503 without one)
        registry.add("credits.webhooks.secret-key", () -> WEBHOOK_SECRET_KEY);
        if (postgres()) {
            requirePostgres();
            String schema = freshSchema();
            registry.add("spring.datasource.url", () -> PG_URL + (PG_URL.contains("?") ? "&" : "?")
                    + "currentSchema=" + schema);
            registry.add("spring.datasource.username", () -> PG_USER);
            registry.add("spring.datasource.password", () -> "");
            registry.add("spring.flyway.schemas", () -> schema);
        } else {
            String name = "boot_" + UUID.randomUUID().toString().replace("-", "");
            registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        }
    }

    private static String freshSchema() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL pass selected but " + PG_URL + " is not reachable", e);
        }
        return schema;
    }
}

package dev.creditspolicy.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

import dev.creditspolicy.store.Databases;

/**
 * The database a test runs on: H2 by default, PostgreSQL when {@code -Dcredits.test.db=postgres} (the second pass
 * of the test command). Each call gives a fresh, empty, migrated database (a new in-memory H2, or a new schema).
 */
public final class TestDatabases {
    public static final String KIND = System.getProperty("credits.test.db", "h2");
    public static final String PG_URL = System.getProperty("credits.test.pg.url",
            "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = System.getProperty("credits.test.pg.user", "postgres");

    private TestDatabases() {
    }

    public static boolean postgres() {
        return KIND.equals("postgres");
    }

    public static DataSource fresh(String label) {
        if (!postgres()) {
            return Databases.freshInMemory(label);
        }
        String schema = freshSchema();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        ds.setUser(PG_USER);
        Flyway.configure().dataSource(ds).schemas(schema).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    /** Points a Spring Boot test at a fresh database of the selected kind. */
    public static void register(DynamicPropertyRegistry registry) {
        if (postgres()) {
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

package dev.creditspolicy.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Databases the tools make for themselves: a fresh in-memory H2 per scenario, built from the same migration files
 * Flyway applies to real databases. For a throw-away database the files are run directly: Flyway's own bookkeeping
 * costs about ten times the schema itself, and a scenario suite makes hundreds of them.
 */
public final class Databases {
    private static final AtomicLong COUNTER = new AtomicLong();

    private Databases() {
    }

    /** A new, empty, migrated in-memory database that lives until the JVM exits or it is dropped. */
    public static DataSource freshInMemory(String label) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + label.replaceAll("[^A-Za-z0-9_]", "_") + "_" + COUNTER.incrementAndGet()
                + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        ds.setUser("sa");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String statement : MIGRATION_STATEMENTS) {
                st.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the in-memory schema", e);
        }
        return ds;
    }

    /** The statements of db/migration/V*.sql in version order, read once. */
    private static final List<String> MIGRATION_STATEMENTS = readMigrations();

    private static List<String> readMigrations() {
        try {
            Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/V*.sql");
            List<Resource> sorted = new ArrayList<>(Arrays.asList(files));
            sorted.sort(Comparator.comparingInt(r -> Integer.parseInt(
                    r.getFilename().substring(1, r.getFilename().indexOf("__")))));
            List<String> statements = new ArrayList<>();
            for (Resource r : sorted) {
                String sql = new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .replaceAll("(?m)^\\s*--.*$", "");
                for (String statement : sql.split(";")) {
                    if (!statement.isBlank()) {
                        statements.add(statement.strip());
                    }
                }
            }
            if (statements.isEmpty()) {
                throw new IllegalStateException("no migration found on the class path");
            }
            return List.copyOf(statements);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the migrations", e);
        }
    }

    public static void migrate(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    }

    /** Frees an in-memory database made by {@link #freshInMemory}. */
    public static void drop(DataSource ds) {
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.creditspolicy.store;

import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** Databases the tools make for themselves: a fresh in-memory H2 per scenario, migrated by the same Flyway files. */
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
        migrate(ds);
        return ds;
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

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

import java.util.Locale;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The settings of the embedded H2 database ({@link EmbeddedH2}), and databases the tools make for themselves: a fresh in-memory H2 per scenario, built from the same migration files
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

    /** Whether a JDBC URL opens an H2 database inside this process from a file (not in memory, not a server). */
    public static boolean isEmbeddedH2File(String url) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:h2:", 0, 8)) {
            return false;
        }
        String rest = url.substring(8).toLowerCase(Locale.ROOT);
        return !(rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:"));
    }

    /**
     * An embedded H2 URL with {@code WRITE_DELAY=0}, unless it names a write delay of its own: every commit then
     * writes its changes to the file (to the operating system, without fsync) before it returns, instead of a
     * background thread doing so up to the write delay (500 ms by default) later. See the README, "Crashes: what
     * survives".
     */
    public static String durableH2Url(String url) {
        return url.toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=") ? url : url + ";WRITE_DELAY=0";
    }

    /**
     * The service's data source on an embedded H2 file, made safe against a crash of the process (issue 12): the
     * write delay 0 ({@link #durableH2Url}) and one connection. With several connections, H2 2.5's MVStore writes a
     * commit's changes while other transactions are half-way through their own commits, and capture each table at
     * a slightly different moment: a process killed right after such a write comes back with part of a transaction
     * (CrashIT saw allocations whose lot was not debited). With one connection, the commit that writes is the only
     * transaction there is. Flyway, which needs a second connection while it migrates, gets its own unpooled
     * connections to the same URL. PostgreSQL, in-memory H2 and H2 servers are left alone.
     */
    @Component
    public static final class EmbeddedH2 implements BeanPostProcessor, FlywayConfigurationCustomizer {
        private static final Logger log = LoggerFactory.getLogger(EmbeddedH2.class);

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof HikariDataSource pool && isEmbeddedH2File(pool.getJdbcUrl())) {
                pool.setJdbcUrl(durableH2Url(pool.getJdbcUrl()));
                pool.setMaximumPoolSize(1);
                pool.setMinimumIdle(1);
                log.info("embedded H2 database: {} with one connection", pool.getJdbcUrl());
            }
            return bean;
        }

        @Override
        public void customize(FluentConfiguration configuration) {
            if (configuration.getDataSource() instanceof HikariDataSource pool
                    && isEmbeddedH2File(pool.getJdbcUrl())) {
                configuration.dataSource(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
            }
        }
    }

    /**
     * PostgreSQL: the driver rewrites a batch of inserts into multi-row {@code INSERT ... VALUES (...), (...)}
     * statements ({@code reWriteBatchedInserts}), so a usage batch's decisions, allocations and events each cost the
     * server one statement rather than one per row; unless the URL sets it itself.
     */
    @Component
    public static final class PostgresBatches implements BeanPostProcessor {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null
                    && pool.getJdbcUrl().startsWith("jdbc:postgresql:")
                    && !pool.getJdbcUrl().toLowerCase(Locale.ROOT).contains("rewritebatchedinserts")) {
                pool.addDataSourceProperty("reWriteBatchedInserts", "true");
            }
            return bean;
        }
    }
}

package dev.creditspolicy.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Databases;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestServices;

/**
 * The backup and restore procedures of docs/operations.md, run: the database of a running service (its services
 * open on it) backed up, restored into a new database, every table identical and the ledger's invariants holding.
 */
class BackupRestoreTest {

    @Test
    @DisplayName("embedded H2: BACKUP TO a zip while in use, unzipped into a new folder: identical, invariants hold")
    void h2OnlineBackup(@TempDir Path dir) throws Exception {
        JdbcDataSource live = h2(dir.resolve("data"));
        Databases.migrate(live);
        Map<String, LedgerInvariants.Answered> answered = LedgerCopies.history(services(live));
        Path zip = dir.resolve("backup.zip");
        try (Connection c = live.getConnection(); Statement s = c.createStatement()) {
            s.execute("BACKUP TO '" + zip + "'"); // online: the service's connections stay open
        }
        Path restored = dir.resolve("restored");
        unzip(zip, restored);
        JdbcDataSource copy = h2(restored);
        assertThat(LedgerCopies.contents(copy)).isEqualTo(LedgerCopies.contents(live))
                .containsKey("usage_decisions");
        assertThat(LedgerCopies.contents(copy).get("usage_decisions")).hasSize(answered.size());
        LedgerInvariants.check(Jdbi.create(copy), answered);
    }

    @Test
    @DisplayName("PostgreSQL: pg_dump of the live database, pg_restore into a new database: identical, invariants hold")
    void postgresDumpAndRestore(@TempDir Path dir) throws Exception {
        ServiceJar.requirePostgres("BackupRestoreTest");
        String schema = ServiceJar.freshPostgresSchema("bk_");
        PGSimpleDataSource live = new PGSimpleDataSource();
        live.setUrl(ServiceJar.postgresUrl(schema));
        live.setUser(ServiceJar.PG_USER);
        org.flywaydb.core.Flyway.configure().dataSource(live).schemas(schema).locations("classpath:db/migration")
                .load().migrate();
        Map<String, LedgerInvariants.Answered> answered = LedgerCopies.history(services(live));

        String database = databaseOf(ServiceJar.PG_URL);
        String target = "restore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Path dump = dir.resolve("credits.dump");
        run(List.of("pg_dump", "-h", host(), "-U", ServiceJar.PG_USER, "-Fc", "-n", schema, "-f", dump.toString(),
                database));
        try (Connection c = DriverManager.getConnection(ServiceJar.PG_URL, ServiceJar.PG_USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + target);
        }
        try {
            run(List.of("pg_restore", "-h", host(), "-U", ServiceJar.PG_USER, "--no-owner", "-d", target,
                    dump.toString()));
            PGSimpleDataSource copy = new PGSimpleDataSource();
            copy.setUrl(ServiceJar.PG_URL.replace("/" + database, "/" + target) + "?currentSchema=" + schema);
            copy.setUser(ServiceJar.PG_USER);
            assertThat(LedgerCopies.contents(copy)).isEqualTo(LedgerCopies.contents(live))
                    .containsKey("usage_decisions");
            assertThat(LedgerCopies.contents(copy).get("usage_decisions")).hasSize(answered.size());
            LedgerInvariants.check(Jdbi.create(copy), answered);
        } finally {
            try (Connection c = DriverManager.getConnection(ServiceJar.PG_URL, ServiceJar.PG_USER, "");
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE " + target);
            }
        }
        ServiceJar.dropPostgresSchema(schema);
    }

    private static CreditsServices services(javax.sql.DataSource ds) {
        return CreditsServices.of(new Store(ds), TestServices.rules(), Clock.systemUTC(), new SimpleMeterRegistry());
    }

    private static JdbcDataSource h2(Path folder) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + folder.resolve("credits-policy") + ";LOCK_TIMEOUT=10000");
        ds.setUser("sa");
        return ds;
    }

    private static void unzip(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
                Path file = into.resolve(e.getName()).normalize();
                assertThat(file.startsWith(into)).as(e.getName()).isTrue();
                Files.copy(entries, file);
            }
        }
    }

    /** The database name of a jdbc:postgresql://host:port/name URL. */
    static String databaseOf(String url) {
        String path = url.substring(url.indexOf("//") + 2);
        return path.substring(path.indexOf('/') + 1).split("[?]", 2)[0];
    }

    private static String host() {
        String hostPort = ServiceJar.PG_URL.substring(ServiceJar.PG_URL.indexOf("//") + 2).split("/", 2)[0];
        return hostPort.split(":", 2)[0];
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}

package dev.creditspolicy.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Databases;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestServices;

/**
 * Upgrading from an older database: for each earlier migration version (read from the migrations themselves, so new
 * ones are covered without editing this test), a database migrated only that far holds a recorded history as that
 * schema stores it (the rows of its tables and columns, taken from the same history at the latest schema); then the
 * service's migrations run on it. Every row it held is unchanged, every account's balance is what it was, and the
 * ledger's invariants hold.
 */
class UpgradeTest {
    static DataSource empty(String label) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + label + "_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        ds.setUser("sa");
        return ds;
    }

    static Flyway flyway(DataSource ds, String target) {
        return Flyway.configure().dataSource(ds).locations("classpath:db/migration").target(target).load();
    }

    @Test
    @DisplayName("a database of every earlier version upgrades with its history and balances unchanged")
    void everyEarlierVersionUpgrades() throws Exception {
        DataSource latest = empty("latest");
        Databases.migrate(latest);
        CreditsServices current = CreditsServices.of(new Store(latest), TestServices.rules(), Clock.systemUTC(),
                new SimpleMeterRegistry());
        Map<String, LedgerInvariants.Answered> answered = LedgerCopies.history(current);
        List<String> versions = Arrays.stream(flyway(latest, "latest").info().applied())
                .map(MigrationInfo::getVersion).map(Object::toString).toList();
        assertThat(versions).as("migration versions").hasSizeGreaterThanOrEqualTo(2);

        for (String version : versions.subList(0, versions.size() - 1)) {
            DataSource old = empty("v" + version);
            flyway(old, version).migrate();
            Map<String, java.util.List<String>> shape;
            try (Connection c = old.getConnection()) {
                shape = LedgerCopies.tables(c);
            }
            LedgerCopies.copy(latest, old, shape);
            Map<String, List<String>> before = LedgerCopies.contents(old, shape);
            assertThat(before.get("usage_decisions")).as("V" + version + " history").hasSize(36);

            Databases.migrate(old); // what the service does at start
            assertThat(flyway(old, "latest").info().current().getVersion().toString()).isEqualTo(versions.get(versions.size() - 1));
            assertThat(LedgerCopies.contents(old, shape)).as("rows of V" + version + " after the upgrade")
                    .isEqualTo(before);
            CreditsServices upgraded = CreditsServices.of(new Store(old), TestServices.rules(), Clock.systemUTC(),
                    new SimpleMeterRegistry());
            for (int a = 0; a < 3; a++) {
                assertThat(balance(upgraded, "acct-" + a)).as("V" + version + " acct-" + a)
                        .isEqualByComparingTo(balance(current, "acct-" + a));
            }
            if (shape.containsKey("account_events")) { // V1 had no account_events: nothing to order decisions by
                LedgerInvariants.check(Jdbi.create(old), answered);
            }
            Databases.drop(old);
        }
    }

    static java.math.BigDecimal balance(CreditsServices s, String account) {
        return s.reports().balance(account, java.time.Instant.parse("2026-07-03T00:00:00Z"), null).total();
    }
}

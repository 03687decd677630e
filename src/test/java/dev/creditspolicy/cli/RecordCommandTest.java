package dev.creditspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Databases;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestServices;

class RecordCommandTest {

    @Test
    @DisplayName("record writes an account's history as a scenario that replays green under the same rules")
    void recordThenReplay(@TempDir Path dir) throws IOException {
        String url = "jdbc:h2:mem:record_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        DriverManagerDataSource ds = new DriverManagerDataSource(url, "sa", "");
        Databases.migrate(ds);
        CreditsServices s = CreditsServices.of(new Store(ds), TestServices.rules(), java.time.Clock.systemUTC(),
                new SimpleMeterRegistry());
        ReplayCommandTestData.populate(s);

        Path out = dir.resolve("carol.yaml");
        CliRun record = CliRun.of("record", "--db", url, "--account", "carol", "--out", out.toString());
        assertThat(record.exitCode()).isZero();
        String yaml = java.nio.file.Files.readString(out);
        assertThat(yaml).contains("- account: {id: carol, realm: QODER, plan: PERSONAL_PRO")
                .contains("- grant: {account: carol, lotId: promo-1, source: PROMOTION")
                .contains("expect: {status: CHARGED, reason: CHARGED, charged: 30.0000")
                .contains("expect: {status: INSUFFICIENT, reason: NOT_SHARED_WITH_PRODUCT")
                .contains("expect: {status: CHARGED, reason: CHARGED, charged: 5.0000, shortfall: 0.0000, "
                        + "allocations: {ent-1: 5.0000}}")
                .contains("- planChange: {account: carol, kind: UPGRADE, toPlan: ENTERPRISE_TEAMS");

        CliRun replay = CliRun.of("replay", out.toString());
        assertThat(replay.out()).endsWith("1 passed, 0 failed\n");
        assertThat(replay.exitCode()).isZero();

        CliRun unknown = CliRun.of("record", "--db", url, "--account", "nobody");
        assertThat(unknown.exitCode()).isEqualTo(1);
    }
}

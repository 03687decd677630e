package dev.creditspolicy.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The packaged jar on PostgreSQL without credits.admin-key: refused in one line; started with the switch. */
class ProductionModeIT {

    @Test
    @DisplayName("on PostgreSQL without an admin key the jar exits at once, saying why; the switch lets it start")
    void refusedWithoutAdminKey() throws Exception {
        ServiceJar.requirePostgres("ProductionModeIT");
        String schema = ServiceJar.freshPostgresSchema("prod_");
        List<String> args = new ArrayList<>(ServiceJar.postgresArgs(schema));
        args.add("--credits.admin-key=");
        ServiceJar refused = ServiceJar.start("ProductionModeIT", "refused", args);
        assertThat(refused.process.waitFor(ServiceJar.START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(refused.process.exitValue()).isNotZero();
        String log = Files.readString(refused.log);
        assertThat(log).contains("Refusing to start: credits.admin-key (CREDITS_ADMIN_KEY) is not set")
                .doesNotContain("Flyway").doesNotContain("Tomcat started");

        args.add("--credits.allow-development-admin-key=true");
        ServiceJar allowed = ServiceJar.start("ProductionModeIT", "allowed", args);
        try {
            ServiceJar.awaitHealthy(List.of(allowed));
            assertThat(Files.readString(allowed.log)).contains("development admin key: ");
        } finally {
            allowed.stop();
        }
        ServiceJar.dropPostgresSchema(schema);
    }
}

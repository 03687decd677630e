package dev.creditspolicy.cli;

import org.springframework.jdbc.datasource.DriverManagerDataSource;
import picocli.CommandLine.Option;

import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Store;

/** Where the tools that read the ledger find it: the service's default H2 file unless told otherwise. */
final class LedgerOptions {
    @Option(names = "--db", defaultValue = "jdbc:h2:file:./data/credits-policy;AUTO_SERVER=TRUE",
            description = "JDBC URL of the ledger (default: the service's default H2 file)")
    String url;

    @Option(names = "--user", defaultValue = "sa", description = "database user (default: ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--password", defaultValue = "", description = "database password")
    String password;

    /** The ledger's services, read-only (no rules loaded). */
    CreditsServices services() {
        return CreditsServices.reading(new Store(new DriverManagerDataSource(url, user, password)));
    }
}

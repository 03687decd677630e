package dev.creditspolicy.cli;

import org.springframework.jdbc.datasource.DriverManagerDataSource;
import picocli.CommandLine.Option;

import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Store;

/** Where the tools that read the ledger find it: {@code --db}, a JDBC URL. */
final class LedgerOptions {
    /** The service's default H2 file, for the tools that still default to it ({@code record}). */
    static final String SERVICE_DEFAULT = "jdbc:h2:file:./data/credits-policy;AUTO_SERVER=TRUE";

    @Option(names = "--db", paramLabel = "JDBC-URL", description = "JDBC URL of the ledger, e.g. "
            + SERVICE_DEFAULT + " (the service's default H2 file) or jdbc:postgresql://host/db")
    String url;

    @Option(names = "--user", defaultValue = "sa", description = "database user (default: ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--password", defaultValue = "", description = "database password")
    String password;

    /** The ledger's services, read-only (no rules loaded); the service's default H2 file when --db is not given. */
    CreditsServices services() {
        return CreditsServices.reading(new Store(new DriverManagerDataSource(url(), user, password)));
    }

    String url() {
        return url == null ? SERVICE_DEFAULT : url;
    }

    /** The database named for people: the URL without its parameters (which may carry a password), and the user. */
    String described() {
        String bare = url().split("[?;]", 2)[0];
        return bare + " (user " + user + ")";
    }
}

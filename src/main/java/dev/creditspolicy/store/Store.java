package dev.creditspolicy.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.SqlParser;
import org.jdbi.v3.core.statement.SqlStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database behind the ledger. Owns transactions: each request runs in one READ COMMITTED transaction that
 * takes the account's row lock before touching its lots, retried a bounded number of times on a serialization
 * failure or deadlock so those never reach a caller.
 */
public final class Store {
    private static final Logger log = LoggerFactory.getLogger(Store.class);
    private static final int MAX_ATTEMPTS = 5;

    /** Parsed statements are cached by the parser: one parser for every Store (a replay makes one per scenario). */
    private static final SqlParser PARSER = new ColonPrefixSqlParser();

    private final Jdbi jdbi;

    public Store(DataSource dataSource) {
        this.jdbi = Jdbi.create(dataSource);
        jdbi.getConfig(SqlStatements.class).setSqlParser(PARSER);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * The tables of one transaction. The DAOs are plain classes over Jdbi's fluent API with explicit row mappers:
     * SqlObject proxies and reflective constructor mapping cost more than the database round trip on this hot path
     * (measured in bench/, see the README).
     */
    public static final class Tx {
        private final Handle handle;
        private final AccountDao accounts;
        private final LotDao lots;
        private final UsageDao usage;
        private final PlanChangeDao planChanges;
        private final RulesAuditDao rulesAudit;
        private final HoldDao holds;
        private final KeyDao keys;
        private final AuditDao audit;
        private final CorrectionDao corrections;
        private final PriceDao prices;

        Tx(Handle handle) {
            this.handle = handle;
            this.accounts = new AccountDao(handle);
            this.lots = new LotDao(handle);
            this.usage = new UsageDao(handle);
            this.planChanges = new PlanChangeDao(handle);
            this.rulesAudit = new RulesAuditDao(handle);
            this.holds = new HoldDao(handle);
            this.keys = new KeyDao(handle);
            this.audit = new AuditDao(handle);
            this.corrections = new CorrectionDao(handle);
            this.prices = new PriceDao(handle);
        }

        public Handle handle() {
            return handle;
        }

        /**
         * Runs {@code work} so that, when it throws, what it wrote is undone and the transaction goes on (a savepoint):
         * one request of a batch refused leaves the others' writes in place.
         */
        public <T> T undoneIfItFails(String savepoint, Supplier<T> work) {
            handle.savepoint(savepoint);
            try {
                T result = work.get();
                handle.releaseSavepoint(savepoint);
                return result;
            } catch (RuntimeException e) {
                handle.rollbackToSavepoint(savepoint);
                throw e;
            }
        }

        public AccountDao accounts() {
            return accounts;
        }

        public LotDao lots() {
            return lots;
        }

        public UsageDao usage() {
            return usage;
        }

        public PlanChangeDao planChanges() {
            return planChanges;
        }

        public RulesAuditDao rulesAudit() {
            return rulesAudit;
        }

        public HoldDao holds() {
            return holds;
        }

        public KeyDao keys() {
            return keys;
        }

        public CorrectionDao corrections() {
            return corrections;
        }

        public AuditDao audit() {
            return audit;
        }

        /** Token counts and price breakdowns of priced usage decisions and holds. */
        public PriceDao prices() {
            return prices;
        }
    }

    /**
     * Contention that outlasted the retries: the transaction was rolled back, nothing was stored, and the same
     * request may be sent again. The same on H2 and PostgreSQL.
     */
    public static final class Busy extends RuntimeException {
        private final String sqlState;

        Busy(String sqlState, RuntimeException cause) {
            this("contention outlasted " + MAX_ATTEMPTS + " attempts (SQLState " + sqlState + ")", sqlState, cause);
        }

        private Busy(String message, String sqlState, RuntimeException cause) {
            super(message, cause);
            this.sqlState = sqlState;
        }

        public String sqlState() {
            return sqlState;
        }
    }

    /** Runs the work in one transaction, retried on transient contention; past the retries it throws {@link Busy}. */
    public <T> T inTransaction(Function<Tx, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                // READ COMMITTED is the connections' own level (H2's and PostgreSQL's default, and the pool's
                // setting): naming it here would cost two extra round trips per transaction
                return jdbi.inTransaction(h -> work.apply(new Tx(h)));
            } catch (RuntimeException e) {
                if (poolExhausted(e)) {
                    // no connection within the pool's connection-timeout: refused at once, not retried (a retry
                    // would wait again); the caller gets 503 busy
                    throw new Busy("no database connection free within the pool's connection-timeout", null, e);
                }
                String state = sqlState(e);
                if (!isTransient(state)) {
                    throw e;
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new Busy(state, e);
                }
                log.info("transaction retried (attempt {} of {}) after SQLState {}", attempt, MAX_ATTEMPTS, state);
            }
        }
    }

    /**
     * Serialization failure, deadlock, a lock wait that timed out (PostgreSQL's lock_timeout: 55P03, H2's
     * LOCK_TIMEOUT: HYT00), and a unique-key race (two first requests with one id at once: on the retry the loser
     * finds the winner's row and answers idempotently).
     */
    public static boolean isTransient(String sqlState) {
        return sqlState != null && (sqlState.equals("40001") || sqlState.equals("40P01") || sqlState.equals("23505")
                || sqlState.equals("55P03") || sqlState.equals("HYT00"));
    }

    /**
     * The database cannot be reached (no connection from the pool, a connection lost, the server shutting down or
     * starting): SQLState class 08 or 57P01-57P03, or the pool's timeout waiting for a connection. Retrying the
     * work elsewhere or piece by piece cannot help.
     */
    public static boolean unavailable(Throwable e) {
        if (poolExhausted(e)) {
            return true;
        }
        String state = sqlState(e);
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    private static boolean poolExhausted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    public static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}

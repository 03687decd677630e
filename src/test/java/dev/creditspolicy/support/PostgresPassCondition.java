package dev.creditspolicy.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (META-INF/services): in the PostgreSQL pass, with no PostgreSQL to reach, the tests are
 * reported as skipped with the reason, instead of failing; in the H2 pass it does nothing.
 */
public final class PostgresPassCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!TestDatabases.postgres() || TestDatabases.postgresRequired() || TestDatabases.postgresReachable()) {
            return ConditionEvaluationResult.enabled("database available");
        }
        return ConditionEvaluationResult.disabled("PostgreSQL pass not run: " + TestDatabases.PG_URL
                + " is not reachable");
    }
}

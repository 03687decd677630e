package dev.creditspolicy.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

/**
 * Counts the JDBC calls that go to the database (statement executions, commits and rollbacks, and the isolation-level
 * reads and writes that the PostgreSQL driver answers with a query) made through a DataSource, without changing
 * what they do. The scale phase wraps each deduction path's DataSource in one, to report round trips per deduction.
 */
final class RoundTrips {
    private static final Set<String> STATEMENT_CALLS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeBatch", "executeLargeUpdate", "executeLargeBatch");
    private static final Set<String> CONNECTION_CALLS = Set.of("commit", "rollback", "getTransactionIsolation",
            "setTransactionIsolation");

    final AtomicLong calls = new AtomicLong();
    final DataSource dataSource;

    RoundTrips(DataSource target) {
        this.dataSource = (DataSource) Proxy.newProxyInstance(RoundTrips.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    return result instanceof Connection c ? connection(c) : result;
                });
    }

    private Connection connection(Connection target) {
        return (Connection) Proxy.newProxyInstance(RoundTrips.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (CONNECTION_CALLS.contains(method.getName())) {
                        calls.incrementAndGet();
                    }
                    Object result = invoke(target, method, args);
                    return result instanceof Statement s ? statement(s) : result;
                });
    }

    private Object statement(Statement target) {
        return Proxy.newProxyInstance(RoundTrips.class.getClassLoader(), interfacesOf(target), (proxy, method, args) -> {
            if (STATEMENT_CALLS.contains(method.getName())) {
                calls.incrementAndGet();
            }
            return invoke(target, method, args);
        });
    }

    /** The JDBC interfaces a driver's statement implements (PreparedStatement, CallableStatement, Statement). */
    private static Class<?>[] interfacesOf(Statement s) {
        if (s instanceof java.sql.CallableStatement) {
            return new Class<?>[] {java.sql.CallableStatement.class};
        }
        if (s instanceof java.sql.PreparedStatement) {
            return new Class<?>[] {java.sql.PreparedStatement.class};
        }
        return new Class<?>[] {Statement.class};
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

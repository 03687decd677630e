package dev.creditspolicy.store;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.jdbi.v3.core.argument.Argument;

/** Reading and binding the column types every table shares: instants as UTC timestamps, enums by name. */
final class Columns {
    private Columns() {
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static <E extends Enum<E>> E enumOf(Class<E> type, ResultSet rs, String column) throws SQLException {
        String name = rs.getString(column);
        return name == null ? null : Enum.valueOf(type, name);
    }

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    // Arguments bound straight to their JDBC setter: Jdbi then skips its per-statement search for an argument
    // factory by the value's type, which was a measured share of a request's CPU (see the README's benchmarks).
    // Every null carries its SQL type, so H2 and PostgreSQL accept it alike.

    static Argument text(String value) {
        return (position, statement, ctx) -> {
            if (value == null) {
                statement.setNull(position, Types.VARCHAR);
            } else {
                statement.setString(position, value);
            }
        };
    }

    /** An enum is stored by its name. */
    static Argument text(Enum<?> value) {
        return text(value == null ? null : value.name());
    }

    static Argument decimal(BigDecimal value) {
        return (position, statement, ctx) -> {
            if (value == null) {
                statement.setNull(position, Types.NUMERIC);
            } else {
                statement.setBigDecimal(position, value);
            }
        };
    }

    static Argument integer(long value) {
        return (position, statement, ctx) -> statement.setLong(position, value);
    }

    /** Instants are stored as UTC timestamps with time zone, the same on H2 and PostgreSQL. */
    static Argument timestamp(Instant value) {
        return (position, statement, ctx) -> {
            if (value == null) {
                statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                statement.setObject(position, value.atOffset(ZoneOffset.UTC));
            }
        };
    }
}

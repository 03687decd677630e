package dev.creditspolicy.store;

import static dev.creditspolicy.store.Columns.integer;
import static dev.creditspolicy.store.Columns.text;
import static dev.creditspolicy.store.Columns.timestamp;

import org.jdbi.v3.core.statement.Query;

import dev.creditspolicy.paging.Cursor;
import dev.creditspolicy.paging.PageRequest;

/**
 * How one list pages in SQL (SPEC section 9), newest first: the rows strictly after the cursor in {@code ORDER BY
 * timeColumn DESC, idColumn DESC} (or {@code idColumn DESC} alone when {@code timeColumn} is null), one more than the
 * page. With an index on the list's filter columns, then these, a page reads only its own rows however long the list.
 */
record Keyset(String timeColumn, String idColumn, boolean numericId) {

    /** What follows the list's own conditions (after {@code WHERE ...}): the cursor's condition, order and limit. */
    String sql(PageRequest page) {
        String id = numericId ? ":afterNumber" : ":afterId";
        if (timeColumn == null) {
            return (page.after() == null ? "" : " AND " + idColumn + " < " + id)
                    + " ORDER BY " + idColumn + " DESC LIMIT :pageRows";
        }
        String after = page.after() == null ? "" : " AND (" + timeColumn + " < :afterAt OR (" + timeColumn
                + " = :afterAt AND " + idColumn + " < " + id + "))";
        return after + " ORDER BY " + timeColumn + " DESC, " + idColumn + " DESC LIMIT :pageRows";
    }

    Query bind(Query query, PageRequest page) {
        query.bind("pageRows", integer(page.rows()));
        Cursor after = page.after();
        if (after != null) {
            if (numericId) {
                query.bind("afterNumber", after.number());
            } else {
                query.bind("afterId", text(after.id()));
            }
            if (timeColumn != null) {
                query.bind("afterAt", timestamp(after.instant()));
            }
        }
        return query;
    }
}

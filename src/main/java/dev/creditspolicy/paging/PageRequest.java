package dev.creditspolicy.paging;

import dev.creditspolicy.requests.Fields;

/** {@code limit} (1 to 1,000, default 100) items after {@code after} (null: from the newest). SPEC section 9. */
public record PageRequest(int limit, Cursor after) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    public static final PageRequest FIRST = new PageRequest(DEFAULT_LIMIT, null);

    /** The query parameters {@code limit} and {@code after} as sent (either absent: null). */
    public static PageRequest parse(String limit, String after) {
        int n = limit == null ? DEFAULT_LIMIT : Fields.intInRange("limit", limit, 1, MAX_LIMIT);
        return new PageRequest(n, after == null ? null : Cursor.decode(after));
    }

    /** The paging fields of a request read as a body (a list kind's query, a scenario step). */
    public static PageRequest of(Fields query) {
        return parse(query.optionalText("limit"), query.optionalText("after"));
    }

    /** The rows to read: one more than the page, to know whether more remain. */
    public int rows() {
        return limit + 1;
    }
}

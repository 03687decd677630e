package dev.creditspolicy.requests;

import dev.creditspolicy.access.ViewerTokens;
import dev.creditspolicy.service.HoldService;

/**
 * The bounds the parsers enforce, as the body schemas state them. Where the parser's bound is a constant it is read
 * from there; the others are checked against the parsers by OpenApiContractTest.
 */
public final class Bounds {
    /** An id (requests/Ids): A-Z a-z 0-9 . _ : @ -, not starting with '.'. */
    public static final String ID = "^[A-Za-z0-9_:@-][A-Za-z0-9._:@-]*$";
    public static final int ID_MAX = Ids.MAX;
    /** A key name (requests/Ids). */
    public static final String KEY_NAME = "^[A-Za-z0-9][A-Za-z0-9_-]*$";
    public static final int KEY_NAME_MAX = Ids.KEY_NAME_MAX;
    /** Names and enum values (requests/Fields). */
    public static final int TEXT_MAX = 128;
    /** Free text: a reason (requests/Fields). */
    public static final int REASON_MAX = 512;
    public static final long TOKENS_MAX = Fields.TOKENS_MAX;
    public static final int HOLD_TTL_MAX = HoldService.TTL_MAX_SECONDS;
    public static final int VIEWER_TTL_MAX = ViewerTokens.MAX_TTL_SECONDS;
    /** api/BatchBodies.MAX_EVENTS. */
    public static final int BATCH_MAX = 1000;
    /** The largest amount a body may state (requests/Fields.amount). */
    public static final String AMOUNT_MAX = "999999999999999";
    public static final String INSTANT = "ISO-8601 with an offset, e.g. 2026-07-01T00:00:00+08:00; microsecond precision "
            + "at most; years 1 to 9999";

    private Bounds() {
    }
}

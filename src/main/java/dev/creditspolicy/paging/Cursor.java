package dev.creditspolicy.paging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.Problem;

/**
 * Where a page ended: the sort key of its last item, {@code at} (its instant; null where a list is ordered by its
 * id alone) and {@code id} (the item's unique id, the tie-break). The next page holds the items strictly after it
 * in the list's order, so an item inserted meanwhile is neither repeated nor makes another skipped (keyset paging).
 * Clients see it as an opaque token: base64url of {@code v1|<at>|<id>}.
 */
public record Cursor(Instant at, String id) {
    /** The characters of every id the service creates (SPEC section 8), a plain number included. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final String VERSION = "v1";

    public String encode() {
        String plain = VERSION + "|" + (at == null ? "" : at.toString()) + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a page answered in its {@code Link}; anything else is {@code validation-failed} on {@code after}. */
    public static Cursor decode(String token) {
        String plain;
        try {
            if (token.length() > 400) {
                throw new IllegalArgumentException("too long");
            }
            plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw refused();
        }
        String[] parts = plain.split("\\|", -1);
        if (parts.length != 3 || !parts[0].equals(VERSION) || !ID.matcher(parts[2]).matches()) {
            throw refused();
        }
        Instant at;
        try {
            at = parts[1].isEmpty() ? null : Fields.parseInstant("after", parts[1]);
        } catch (Problem p) {
            throw refused();
        }
        return new Cursor(at, parts[2]);
    }

    /** The instant, for lists ordered by time. */
    public Instant instant() {
        if (at == null) {
            throw refused();
        }
        return at;
    }

    /** The id as a number, for lists ordered by a generated numeric id. */
    public long number() {
        if (id.length() > 18 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw refused();
        }
        return Long.parseLong(id);
    }

    private static Problem refused() {
        return Problem.invalid("after", "'after' is not a cursor this list answered; use the URI of the "
                + "Link rel=\"next\" header as it is");
    }
}

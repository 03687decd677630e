package dev.creditspolicy.api;

import java.util.List;
import java.util.function.Function;

import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.Problem;

/**
 * Paging of the event, webhook and delivery lists (SPEC section 9: {@code limit} 1 to 1,000, default 100;
 * {@code after}, the cursor of the last item seen; {@code Link: <...>; rel="next"} when more may remain). Interim:
 * to be replaced by the service's one paging mechanism when it lands.
 */
final class EventPages {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private EventPages() {
    }

    static int limit(String limit) {
        return limit == null ? DEFAULT_LIMIT : Fields.intInRange("limit", limit, 1, MAX_LIMIT);
    }

    /** A numeric cursor (an event's or a delivery's sequence number). */
    static Long numericCursor(String after) {
        if (after == null) {
            return null;
        }
        if (!after.matches("[0-9]{1,18}")) {
            throw Problem.invalid("after", "'after' is not a cursor this list gave");
        }
        return Long.parseLong(after);
    }

    /** The page, with a Link to the next one when it is full. */
    static <T> ResponseEntity<List<T>> of(List<T> items, int limit, Function<T, String> cursor) {
        return of(items, limit, cursor, Function.identity());
    }

    /** The same, each item answered as {@code view} makes it; the cursor is taken from the item itself. */
    static <S, T> ResponseEntity<List<T>> of(List<S> items, int limit, Function<S, String> cursor,
                                             Function<S, T> view) {
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (items.size() == limit) {
            String next = ServletUriComponentsBuilder.fromCurrentRequest()
                    .replaceQueryParam("after", cursor.apply(items.get(items.size() - 1)))
                    .replaceQueryParam("limit", limit).build().toUriString();
            ok.header("Link", "<" + next + ">; rel=\"next\"");
        }
        return ok.body(items.stream().map(view).toList());
    }
}

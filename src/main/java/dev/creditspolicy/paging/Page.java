package dev.creditspolicy.paging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** One page of a list and, when more remain, the cursor of its last item (the next page starts after it). */
public record Page<T>(List<T> items, Cursor next) {

    /**
     * The page from rows read in the list's order, at most {@link PageRequest#rows()} of them: a row beyond the limit
     * only says that more remain.
     */
    public static <T> Page<T> of(List<T> rows, PageRequest request, Function<T, Cursor> key) {
        if (rows.size() <= request.limit()) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> items = List.copyOf(rows.subList(0, request.limit()));
        return new Page<>(items, key.apply(items.get(items.size() - 1)));
    }

    /** The same order as the SQL keyset ({@code ORDER BY at DESC, id DESC}), for a list small enough to sort. */
    public static final Comparator<Cursor> NEWEST_FIRST = Comparator.comparing(Cursor::at,
            Comparator.nullsFirst(Comparator.<java.time.Instant>naturalOrder())).thenComparing(Cursor::id).reversed();

    /** A page of a list read whole (a short one: plan changes), sorted newest first by {@code key}. */
    public static <T> Page<T> slice(List<T> all, PageRequest request, Function<T, Cursor> key) {
        List<T> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(key, NEWEST_FIRST));
        List<T> after = request.after() == null ? sorted : sorted.stream()
                .filter(t -> NEWEST_FIRST.compare(key.apply(t), request.after()) > 0).toList();
        return of(after.subList(0, Math.min(after.size(), request.rows())), request, key);
    }

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), next);
    }
}

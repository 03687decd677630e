package dev.creditspolicy.cli;

import java.io.PrintStream;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A progress line for the long runs (impact, replay, record), on standard error and only on a terminal
 * ({@code System.console() != null}): piped or redirected output, and CI logs, stay free of it. One line, rewritten
 * in place, cleared when done.
 */
final class Progress implements BiConsumer<Integer, Integer> {
    private final String label;
    private final PrintStream err;
    private final boolean shown;
    private int width;

    Progress(String label, PrintStream err, boolean terminal) {
        this.label = label;
        this.err = err;
        this.shown = terminal;
    }

    /** On this process's standard error, shown only when it runs on a terminal. */
    static Progress of(String label) {
        return new Progress(label, System.err, System.console() != null);
    }

    @Override
    public void accept(Integer done, Integer total) {
        show(label + " " + done + "/" + total);
        if (done.equals(total)) {
            clear();
        }
    }

    /** A line of its own (a run with no count, e.g. one account's history). */
    void show(String line) {
        if (shown) {
            err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            err.flush();
            width = line.length();
        }
    }

    void clear() {
        if (shown && width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            width = 0;
        }
    }

    /** A view of {@code items} that reports each item taken by an iteration (the work done on it). */
    <T> List<T> over(List<T> items) {
        return new AbstractList<>() {
            @Override
            public T get(int index) {
                return items.get(index);
            }

            @Override
            public int size() {
                return items.size();
            }

            @Override
            public Iterator<T> iterator() {
                Iterator<T> inner = items.iterator();
                return new Iterator<>() {
                    private int taken;

                    @Override
                    public boolean hasNext() {
                        boolean more = inner.hasNext();
                        if (!more) {
                            accept(taken, items.size());
                        }
                        return more;
                    }

                    @Override
                    public T next() {
                        T item = inner.next();
                        show(label + " " + taken++ + "/" + items.size());
                        return item;
                    }
                };
            }
        };
    }
}

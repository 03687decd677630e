package dev.creditspolicy.api;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * A request body as the controllers read it, bounded in bytes (past them: {@link TooLarge}, answered 413) and in
 * time ({@code credits.http.body-read-timeout} from the first read; past it: {@link TooSlow}, answered 408 and the
 * connection closed): a client sending one byte every few seconds holds a request thread that long at most. Each
 * single read also waits at most Tomcat's {@code server.tomcat.connection-timeout}.
 */
final class BoundedBody extends ServletInputStream {
    /** Thrown from the body stream past the limit; the problem handler answers 413. */
    static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("the body is larger than " + max + " bytes");
        }
    }

    /** Thrown from the body stream past its time; the problem handler answers 408. */
    static final class TooSlow extends IOException {
        TooSlow(Duration timeout) {
            super("the body did not arrive within " + timeout.toSeconds() + " s");
        }
    }

    private final ServletInputStream in;
    private final long max;
    private final Duration timeout;
    private final long deadline;
    private long read;

    BoundedBody(ServletInputStream in, long max, Duration timeout) {
        this.in = in;
        this.max = max;
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    private int count(int n) throws IOException {
        if (System.nanoTime() - deadline > 0) {
            throw new TooSlow(timeout);
        }
        if (n > 0) {
            read += n;
            if (read > max) {
                throw new TooLarge(max);
            }
        }
        return n;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        count(b >= 0 ? 1 : 0);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return count(in.read(b, off, len));
    }

    @Override
    public boolean isFinished() {
        return in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }
}

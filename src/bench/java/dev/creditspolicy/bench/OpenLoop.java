package dev.creditspolicy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop (rate-limited) usage run: request i is due at start + i / rate, whatever the answers before it, and
 * its latency runs from that intended send time, not from the moment a sender got to it. A service that stalls
 * therefore pays for every request that should have gone out meanwhile (no coordinated omission). A pool of sender
 * threads takes the requests in order; when all of them are waiting for answers, the next request leaves late and
 * its lateness is in its latency. {@code lateSends} counts requests that left more than 1 ms after they were due
 * (the generator, not the service, may be the bottleneck then), {@code maxSendLagMs} is the worst lateness.
 */
final class OpenLoop {
    private OpenLoop() {
    }

    static Map<String, Object> run(HttpClient http, String baseUrl, String label, String runId, Workload workload,
                                   double ratePerSecond, Duration duration, int senders) {
        URI uri = URI.create(baseUrl + "/v1/usage");
        LoadGenerator.PathStats st = new LoadGenerator.PathStats(senders);
        AtomicLong next = new AtomicLong();
        AtomicLong late = new AtomicLong();
        LongAccumulator maxLag = new LongAccumulator(Math::max, 0);
        double intervalNanos = 1e9 / ratePerSecond;
        long start = System.nanoTime() + 50_000_000L; // every sender started before the first request is due
        long deadline = start + duration.toNanos();
        Thread[] threads = new Thread[senders];
        for (int i = 0; i < senders; i++) {
            int sender = i;
            threads[i] = new Thread(() -> {
                SplittableRandom r = new SplittableRandom((runId + "/" + sender).hashCode());
                List<String> history = new ArrayList<>();
                while (true) {
                    long k = next.getAndIncrement();
                    long due = start + (long) (k * intervalNanos);
                    if (due >= deadline) {
                        return;
                    }
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    long lag = -wait;
                    if (lag > 1_000_000L) {
                        late.incrementAndGet();
                    }
                    maxLag.accumulate(lag);
                    boolean retry = !history.isEmpty() && r.nextInt(100) < 2;
                    String body = retry ? history.get(r.nextInt(history.size()))
                            : workload.body(r, runId + "-" + k);
                    try {
                        if (LoadGenerator.send(http, uri, body, retry, st, st.latencies[sender], due)
                                && history.size() < 2000) {
                            history.add(body);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "open-loop-" + i);
            threads[i].start();
        }
        for (Thread t : threads) {
            try {
                t.join(duration.toMillis() + 60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> m = LoadGenerator.summary(st, label, "/v1/usage (open loop)", senders, seconds, false);
        m.put("openLoop", true);
        m.put("targetRatePerSecond", LoadGenerator.round(ratePerSecond, 1));
        m.put("lateSends", late.get());
        m.put("maxSendLagMs", LoadGenerator.round(maxLag.get() / 1e6, 2));
        return m;
    }
}

package dev.creditspolicy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N client threads, each sending one request at a time (closed loop) with Java's HttpClient, until a deadline or
 * a total count, whichever comes first. 2% of the requests are retries of one of the client's earlier request
 * ids with the same body: they must be answered 200 with Idempotent-Replayed: true, else they count as errors.
 */
final class LoadGenerator {
    private LoadGenerator() {
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    static final class Latencies {
        long[] values = new long[1 << 14];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    /** What one run measured; latencies in milliseconds, from send to the whole response read. */
    static Map<String, Object> run(HttpClient http, String baseUrl, String path, String label, String runId,
                                   Workload workload, int clients, Duration duration, long maxRequests) {
        return run(http, baseUrl, List.of(path), List.of(label), runId, workload, clients, duration, maxRequests)
                .get(label);
    }

    /** What one path received in a run. */
    static final class PathStats {
        final AtomicLong errors = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong replayed = new AtomicLong();
        final AtomicLong charged = new AtomicLong();
        final AtomicLong exempt = new AtomicLong();
        final AtomicLong insufficient = new AtomicLong();
        final AtomicLong holdExpired = new AtomicLong();
        final List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
        final Latencies[] latencies;

        /** Counts a decision answered 200 (its JSON): a replay, or by its status. */
        void decided(String decision, boolean wasReplayed) {
            if (wasReplayed) {
                replayed.incrementAndGet();
            } else if (decision.contains("\"status\":\"CHARGED\"")) {
                charged.incrementAndGet();
            } else if (decision.contains("\"status\":\"EXEMPT\"")) {
                exempt.incrementAndGet();
            } else if (decision.contains("\"status\":\"INSUFFICIENT\"")) {
                insufficient.incrementAndGet();
            }
        }

        /** Counts an error and keeps its first five descriptions. */
        void error(String sample) {
            errors.incrementAndGet();
            if (errorSamples.size() < 5) {
                errorSamples.add(sample);
            }
        }

        PathStats(int clients) {
            latencies = new Latencies[clients];
            for (int i = 0; i < clients; i++) {
                latencies[i] = new Latencies();
            }
        }
    }

    /**
     * Several paths in one run: each client sends its requests to the paths in turn (request k to path k mod n), so
     * that every path meets the same machine at the same moments; the figures are kept per path (keyed by label).
     * A retry repeats an earlier request of the same path.
     */
    static Map<String, Map<String, Object>> run(HttpClient http, String baseUrl, List<String> paths,
                                                List<String> labels, String runId, Workload workload, int clients,
                                                Duration duration, long maxRequests) {
        int n = paths.size();
        List<URI> uris = paths.stream().map(p -> URI.create(baseUrl + p)).toList();
        PathStats[] stats = new PathStats[n];
        for (int i = 0; i < n; i++) {
            stats[i] = new PathStats(clients);
        }
        AtomicLong issued = new AtomicLong();
        Thread[] threads = new Thread[clients];
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads[i] = new Thread(() -> {
                SplittableRandom r = new SplittableRandom((runId + "/" + client).hashCode());
                List<List<String>> histories = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    histories.add(new ArrayList<>());
                }
                long seq = 0;
                while (System.nanoTime() < deadline && issued.getAndIncrement() < maxRequests) {
                    int which = (int) (seq % n);
                    PathStats st = stats[which];
                    List<String> history = histories.get(which);
                    boolean retry = !history.isEmpty() && r.nextInt(100) < 2;
                    String body = retry ? history.get(r.nextInt(history.size()))
                            : workload.body(r, runId + "-" + client + "-" + seq);
                    seq++;
                    long t0 = System.nanoTime();
                    try {
                        if (send(http, uris.get(which), body, retry, st, st.latencies[client], t0)) {
                            history.add(body);
                            if (history.size() > 2000) {
                                history.remove(r.nextInt(history.size()));
                            }
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-" + String.join("+", labels) + "-" + i);
            threads[i].start();
        }
        joinAll(threads, duration);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (int p = 0; p < n; p++) {
            out.put(labels.get(p), summary(stats[p], labels.get(p), paths.get(p), clients, seconds, n > 1));
        }
        return out;
    }

    /**
     * Sends one usage request and counts its answer in {@code st}; its latency, from {@code fromNanos} (the send, or
     * in an open loop the intended send time) to the whole response read, goes to {@code lat}. A retry must be
     * answered 200 with Idempotent-Replayed: true. Answers whether it was a new request answered 200 (one a later
     * retry may repeat).
     */
    static boolean send(HttpClient http, URI uri, String body, boolean retry, PathStats st, Latencies lat,
                        long fromNanos) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", ServiceProcess.AUTHORIZATION).POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            lat.add(System.nanoTime() - fromNanos);
            String text = resp.body();
            boolean wasReplayed = resp.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false);
            if (retry) {
                st.retries.incrementAndGet();
            }
            if (resp.statusCode() != 200 || (retry && !wasReplayed)) {
                st.error(resp.statusCode() + " " + (retry ? "(retry) " : "")
                        + text.substring(0, Math.min(300, text.length())));
                return false;
            }
            st.decided(text, wasReplayed);
            return !retry;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            lat.add(System.nanoTime() - fromNanos);
            st.error(e.toString());
            return false;
        }
    }

    /**
     * Hold + commit pairs: each client makes a hold ({@code POST /v1/holds}) and, when it is HELD, commits it
     * ({@code POST /v1/holds/{id}/commit}), one pair at a time. A pair's latency runs from the hold's send to the
     * commit's answer; requests/s in the summary are pairs/s ({@code httpRequests} counts both). 2% of the pairs
     * repeat an earlier pair with the same bodies: both answers must be replays.
     */
    static Map<String, Object> runHoldPairs(HttpClient http, String baseUrl, String label, String runId,
                                            Workload workload, int clients, Duration duration, long maxPairs) {
        PathStats st = new PathStats(clients);
        AtomicLong issued = new AtomicLong();
        AtomicLong httpRequests = new AtomicLong();
        Thread[] threads = new Thread[clients];
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads[i] = new Thread(() -> {
                SplittableRandom r = new SplittableRandom((runId + "/" + client).hashCode());
                List<String[]> history = new ArrayList<>();
                long seq = 0;
                while (System.nanoTime() < deadline && issued.getAndIncrement() < maxPairs) {
                    boolean retry = !history.isEmpty() && r.nextInt(100) < 2;
                    String id = runId + "-" + client + "-" + seq++;
                    String[] pair = retry ? history.get(r.nextInt(history.size())) : workload.holdAndCommit(r, id);
                    String holdId = field(pair[0], "\"holdId\":\"");
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> hold = post(http, URI.create(baseUrl + "/v1/holds"), pair[0]);
                        httpRequests.incrementAndGet();
                        String settled = null;
                        HttpResponse<String> commit = null;
                        if (hold.statusCode() == 200 && hold.body().contains("\"status\":\"HELD\"")) {
                            commit = post(http, URI.create(baseUrl + "/v1/holds/" + holdId + "/commit"), pair[1]);
                            httpRequests.incrementAndGet();
                            settled = commit.body();
                        }
                        st.latencies[client].add(System.nanoTime() - t0);
                        if (retry) {
                            st.retries.incrementAndGet();
                        }
                        if (commit != null && commit.statusCode() == 409 && commit.body().contains("/hold-expired")) {
                            // another request of the account dated at or after this hold's expiry came first
                            // (the workload's calls are not in event-time order): the spec's answer, not an error
                            st.holdExpired.incrementAndGet();
                            continue;
                        }
                        boolean replayed = replayed(hold) && (commit == null || replayed(commit));
                        HttpResponse<String> failed = hold.statusCode() != 200 ? hold
                                : commit != null && commit.statusCode() != 200 ? commit : null;
                        if (failed != null || (retry && !replayed)) {
                            HttpResponse<String> shown = failed != null ? failed : hold;
                            st.error(shown.statusCode() + " " + (retry ? "(retry) " : "")
                                    + shown.body().substring(0, Math.min(300, shown.body().length())));
                            continue;
                        }
                        if (retry) {
                            st.replayed.incrementAndGet();
                        } else if (settled == null) {
                            st.insufficient.incrementAndGet();
                        } else if (settled.contains("\"status\":\"CHARGED\"")) {
                            st.charged.incrementAndGet();
                        } else if (settled.contains("\"status\":\"EXEMPT\"")) {
                            st.exempt.incrementAndGet();
                        }
                        if (!retry && history.size() < 2000) {
                            history.add(pair);
                        }
                    } catch (Exception e) {
                        st.latencies[client].add(System.nanoTime() - t0);
                        st.error(e.toString());
                        if (e instanceof InterruptedException) {
                            return;
                        }
                    }
                }
            }, "load-" + label + "-" + i);
            threads[i].start();
        }
        joinAll(threads, duration);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> m = summary(st, label, "/v1/holds + /v1/holds/{id}/commit", clients, seconds, false);
        m.put("httpRequests", httpRequests.get());
        return m;
    }

    private static void joinAll(Thread[] threads, Duration duration) {
        for (Thread t : threads) {
            try {
                t.join(duration.toMillis() + 60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", ServiceProcess.AUTHORIZATION)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean replayed(HttpResponse<String> r) {
        return r.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false);
    }

    private static String field(String json, String after) {
        int from = json.indexOf(after) + after.length();
        return json.substring(from, json.indexOf('"', from));
    }

    static Map<String, Object> summary(PathStats st, String label, String path, int clients, double seconds,
                                               boolean alternated) {
        int total = 0;
        for (Latencies l : st.latencies) {
            total += l.size;
        }
        long[] all = new long[total];
        int k = 0;
        double sum = 0;
        for (Latencies l : st.latencies) {
            System.arraycopy(l.values, 0, all, k, l.size);
            k += l.size;
        }
        Arrays.sort(all);
        for (long v : all) {
            sum += v;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("path", path);
        m.put("clients", clients);
        m.put("alternated", alternated);
        m.put("seconds", round(seconds, 2));
        m.put("requests", total);
        m.put("requestsPerSecond", round(total / seconds, 1));
        m.put("errors", st.errors.get());
        m.put("retries", st.retries.get());
        m.put("replayed", st.replayed.get());
        m.put("charged", st.charged.get());
        m.put("exempt", st.exempt.get());
        m.put("insufficient", st.insufficient.get());
        m.put("holdExpired", st.holdExpired.get());
        m.put("meanMs", total == 0 ? null : round(sum / total / 1e6, 3));
        m.put("p50Ms", percentileMs(all, 0.50));
        m.put("p90Ms", percentileMs(all, 0.90));
        m.put("p99Ms", percentileMs(all, 0.99));
        m.put("p999Ms", percentileMs(all, 0.999));
        m.put("maxMs", total == 0 ? null : round(all[total - 1] / 1e6, 3));
        m.put("errorSamples", List.copyOf(st.errorSamples));
        return m;
    }

    static Double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return null;
        }
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return round(sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6, 3);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}

package dev.creditspolicy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Batch ingestion (issue 27, SPEC section 10): N clients, each sending {@code POST /v1/usage/batch} with
 * {@code perBatch} usage events at a time (closed loop). 2% of the events repeat one of the client's earlier events
 * with the same body: their slot must be a 200 marked {@code replayed}. Any other slot than 200 is an error (the
 * workload is valid). Requests/s in the summary are batches/s; {@code eventsPerSecond} is what the target reads.
 */
final class BatchLoad {
    static final String PATH = "/v1/usage/batch";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BatchLoad() {
    }

    static Map<String, Object> run(HttpClient http, String baseUrl, String label, String runId, Workload workload,
                                   int clients, Duration duration, long maxBatches, int perBatch) {
        LoadGenerator.PathStats st = new LoadGenerator.PathStats(clients);
        AtomicLong issued = new AtomicLong();
        AtomicLong events = new AtomicLong();
        URI uri = URI.create(baseUrl + PATH);
        Thread[] threads = new Thread[clients];
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads[i] = new Thread(() -> {
                SplittableRandom r = new SplittableRandom((runId + "/" + client).hashCode());
                List<String> history = new ArrayList<>();
                long seq = 0;
                while (System.nanoTime() < deadline && issued.getAndIncrement() < maxBatches) {
                    List<String> bodies = new ArrayList<>(perBatch);
                    boolean[] retry = new boolean[perBatch];
                    for (int k = 0; k < perBatch; k++) {
                        retry[k] = !history.isEmpty() && r.nextInt(100) < 2;
                        bodies.add(retry[k] ? history.get(r.nextInt(history.size()))
                                : workload.body(r, runId + "-" + client + "-" + seq++));
                    }
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                                .header("Authorization", ServiceProcess.AUTHORIZATION)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[" + String.join(",", bodies)
                                        + "]}")).build(), HttpResponse.BodyHandlers.ofString());
                        st.latencies[client].add(System.nanoTime() - t0);
                        if (resp.statusCode() != 200) {
                            st.error(resp.statusCode() + " " + resp.body().substring(0, Math.min(300,
                                    resp.body().length())));
                            continue;
                        }
                        JsonNode results = JSON.readTree(resp.body()).get("results");
                        for (int k = 0; k < perBatch; k++) {
                            count(st, results.get(k), retry[k]);
                            if (!retry[k] && history.size() < 2000) {
                                history.add(bodies.get(k));
                            }
                        }
                        events.addAndGet(perBatch);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        st.latencies[client].add(System.nanoTime() - t0);
                        st.error(e.toString());
                    }
                }
            }, "load-" + label + "-" + i);
            threads[i].start();
        }
        for (Thread t : threads) {
            try {
                t.join(duration.toMillis() + 120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> m = LoadGenerator.summary(st, label, PATH, clients, seconds, false);
        m.put("eventsPerBatch", perBatch);
        m.put("events", events.get());
        m.put("eventsPerSecond", LoadGenerator.round(events.get() / seconds, 1));
        return m;
    }

    private static void count(LoadGenerator.PathStats st, JsonNode slot, boolean retry) {
        if (retry) {
            st.retries.incrementAndGet();
        }
        boolean replayed = slot.path("replayed").asBoolean(false);
        if (slot.get("status").asInt() != 200 || retry != replayed) {
            st.error("event " + slot.get("index") + (retry ? " (retry) " : " ") + slot.toString()
                    .substring(0, Math.min(300, slot.toString().length())));
            return;
        }
        st.decided(slot.get("decision").toString(), replayed);
    }
}

package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Slow clients (issue 26): connections announcing a 60,000-byte body and sending one byte every few seconds, with a
 * bad key and with a valid one, are closed by the server within its stated bounds (connection-timeout 3 s per read,
 * body-read-timeout 10 s in all), while normal requests keep being answered at once.
 */
@DisplayName("HTTP: slow bodies are cut off within the stated bounds; other clients are served meanwhile")
class SlowClientApiTest extends ApiTestSupport {

    /** Sends the head, then one body byte every {@code everyMs}; answers the seconds until the server closed. */
    private double trickle(String key, long everyMs) throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/usage HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + key + "\r\nContent-Length: 60000\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            try {
                for (int sent = 0; sent < 60_000; sent++) {
                    out.write('{');
                    out.flush();
                    if (in.available() > 0) {
                        break; // answered: read to the end below
                    }
                    Thread.sleep(everyMs);
                }
            } catch (SocketException closed) {
                // the server closed the connection while we were still sending
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                while (in.read() != -1) {
                    // the answer (401 or 408), then the close
                }
            } catch (SocketException reset) {
                // closed
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    @Test
    @DisplayName("40 trickling connections (bad key and valid key, 1 byte / 4 s and / 1 s) are closed within 15 s; "
            + "20 normal requests meanwhile are each answered within 5 s")
    void slowBodiesDoNotHoldTheDoor() throws Exception {
        String id = personalAccountWithPlanCredits("slow");
        ExecutorService slow = Executors.newFixedThreadPool(40);
        try {
            List<Future<Double>> held = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String key = i % 2 == 0 ? "not-a-key" : ADMIN;
                long every = i % 4 < 2 ? 4000 : 1000;
                held.add(slow.submit(() -> trickle(key, every)));
            }
            Thread.sleep(500);
            for (int i = 0; i < 20; i++) {
                long t = System.nanoTime();
                balance(id, "2026-07-05T00:00:00+08:00");
                double seconds = (System.nanoTime() - t) / 1e9;
                assertTrue(seconds < 5, "a normal request took " + seconds + " s");
                Thread.sleep(100);
            }
            for (Future<Double> f : held) {
                double seconds = f.get(60, TimeUnit.SECONDS);
                // 1 byte / 4 s: cut after the 3 s read timeout; 1 byte / 1 s: after the 10 s body timeout (or, with
                // a bad key, answered 401 at once and cut while its body is drained)
                assertTrue(seconds < 15, "a slow connection was held " + seconds + " s");
            }
        } finally {
            slow.shutdownNow();
        }
        assertEquals(200, get("/v1/accounts/" + id + "/balance").status());
    }
}

package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rate limits (SPEC section 9): per key, and per client address for failed authentications only. */
@DisplayName("HTTP: 429 rate-limited with Retry-After and RateLimit-* headers")
class RateLimitApiTest extends ApiTestSupport {

    /** A connection from a given local address (all of 127/8 is loopback on Linux). */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Client(int port, String localAddress) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(localAddress), 0);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        /** GET with this bearer key: the status line and headers (lower-case names), the body read and dropped. */
        List<String> get(String path, String key) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            List<String> head = new ArrayList<>();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != -1; ) {
                if (b == '\n') {
                    String l = line.toString(StandardCharsets.ISO_8859_1).strip();
                    line.reset();
                    if (l.isEmpty()) {
                        break;
                    }
                    head.add(head.isEmpty() ? l : l.toLowerCase(Locale.ROOT));
                } else {
                    line.write(b);
                }
            }
            int length = head.stream().filter(h -> h.startsWith("content-length:"))
                    .mapToInt(h -> Integer.parseInt(h.substring(15).strip())).findFirst().orElse(0);
            in.readNBytes(length);
            return head;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static int status(List<String> head) {
        return Integer.parseInt(head.get(0).split(" ")[1]);
    }

    private static String header(List<String> head, String name) {
        return head.stream().filter(h -> h.startsWith(name + ":")).map(h -> h.substring(name.length() + 1).strip())
                .findFirst().orElse(null);
    }

    @Test
    @DisplayName("failed authentications from one address are refused 429 beyond the budget; a valid key from the "
            + "same address and bad keys from another address are not")
    void failedAuthenticationsPerAddress() throws IOException {
        String id = personalAccountWithPlanCredits("rl");
        String path = "/v1/accounts/" + id + "/balance";
        // the budget refills greedily (500 a minute: one token every 120 ms) while we spend it
        List<String> refused = null;
        int sent = 0;
        while (refused == null && sent < 2 * FAILED_AUTH_PER_MINUTE) {
            try (Client noisy = new Client(port, "127.0.0.2")) {
                List<String> head = noisy.get(path, "not-a-key-" + sent++);
                if (status(head) == 429) {
                    refused = head;
                } else {
                    assertEquals(401, status(head), head::toString);
                }
            }
        }
        assertNotNull(refused, "no 429 after " + sent + " failed authentications");
        assertTrue(sent > FAILED_AUTH_PER_MINUTE, "refused after " + sent);
        List<String> answer = refused;
        assertTrue(header(answer, "content-type").startsWith("application/problem+json"));
        assertTrue(Long.parseLong(header(answer, "retry-after")) >= 1, answer::toString);
        assertEquals(String.valueOf(FAILED_AUTH_PER_MINUTE), header(answer, "ratelimit-limit"));
        assertEquals("0", header(answer, "ratelimit-remaining"));
        assertNotNull(header(answer, "ratelimit-reset"));
        try (Client valid = new Client(port, "127.0.0.2")) {
            assertEquals(200, status(valid.get(path, ADMIN)));
        }
        try (Client other = new Client(port, "127.0.0.3")) {
            assertEquals(401, status(other.get(path, "not-a-key")));
        }
    }

    @Test
    @DisplayName("a key beyond its role's rate gets 429 with headers; another key is not slowed by it")
    void perKeyRate() throws Exception {
        String id = personalAccountWithPlanCredits("rl-key");
        String path = "/v1/accounts/" + id + "/balance";
        // a viewer token's rate: 20 a second, a burst of 20; 8 connections send 240 requests as fast as they can
        String token = post("/v1/accounts/" + id + "/viewer-tokens", json("{'ttlSeconds': 600}")).expect(201)
                .text("token");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<List<String>>>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> {
                    List<List<String>> heads = new ArrayList<>();
                    try (Client c = new Client(port, "127.0.0.1")) {
                        for (int i = 0; i < 30; i++) {
                            heads.add(c.get(path, token));
                        }
                    }
                    return heads;
                }));
            }
            List<List<String>> all = new ArrayList<>();
            for (Future<List<List<String>>> f : runs) {
                all.addAll(f.get());
            }
            List<List<String>> limited = all.stream().filter(h -> status(h) == 429).toList();
            assertTrue(!limited.isEmpty(), "240 requests at once should outrun 20 a second");
            assertTrue(all.stream().allMatch(h -> status(h) == 200 || status(h) == 429));
            List<String> one = limited.get(0);
            assertEquals("20", header(one, "ratelimit-limit"));
            assertEquals("0", header(one, "ratelimit-remaining"));
            assertTrue(Long.parseLong(header(one, "retry-after")) >= 1);
            List<String> ok = all.stream().filter(h -> status(h) == 200).findFirst().orElseThrow();
            assertEquals("20", header(ok, "ratelimit-limit"));
        } finally {
            pool.shutdownNow();
        }
        // the admin key has its own bucket
        Reply admin = get(path).expect(200);
        assertEquals("500", admin.header("RateLimit-Limit"));
    }
}

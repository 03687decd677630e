package dev.creditspolicy.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** X-Request-Id on every response, and the refusal log lines carrying it, the client's address and the key name. */
class RequestIdsApiTest extends ApiTestSupport {
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final List<Logger> refusals = List.of((Logger) LoggerFactory.getLogger(ProblemHandler.class),
            (Logger) LoggerFactory.getLogger(FailedAuthentications.class));

    @BeforeEach
    void listen() {
        lines.start();
        refusals.forEach(l -> l.addAppender(lines));
    }

    @AfterEach
    void stopListening() {
        refusals.forEach(l -> l.detachAppender(lines));
    }

    private HttpResponse<String> send(String path, String requestId, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (requestId != null) {
            b.header("X-Request-Id", requestId);
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("a valid X-Request-Id comes back; none, or an invalid one, gets a new UUID")
    void echoedOrMinted() throws Exception {
        String sent = "gw-01:req_7.a@b-" + UUID.randomUUID();
        assertThat(send("/actuator/health", sent, null).headers().firstValue("X-Request-Id")).hasValue(sent);
        String longest = "a".repeat(128);
        assertThat(send("/actuator/health", longest, null).headers().firstValue("X-Request-Id")).hasValue(longest);
        for (String invalid : List.of("a".repeat(129), "two words", "semi;colon", "quote\"d", "é")) {
            String answered = send("/actuator/health", invalid, null).headers().firstValue("X-Request-Id")
                    .orElseThrow();
            assertThat(answered).as(invalid).isNotEqualTo(invalid);
            assertThat(UUID.fromString(answered)).as(invalid).isNotNull();
        }
        String first = send("/actuator/health", null, null).headers().firstValue("X-Request-Id").orElseThrow();
        String second = send("/actuator/health", null, null).headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(UUID.fromString(first)).isNotEqualTo(UUID.fromString(second));
    }

    @Test
    @DisplayName("a refusal by Security's filters: the answer has the id; its log line the id and client address")
    void unauthenticatedRefusal() throws Exception {
        String sent = "refused-" + UUID.randomUUID();
        // from a loopback address of its own: failed authentications are logged once per address per minute
        // (FailedAuthentications), and other tests of this context refuse keys from 127.0.0.1
        SplittableRandom random = new SplittableRandom();
        String address = "127." + random.nextInt(1, 255) + "." + random.nextInt(1, 255) + "." + random.nextInt(1, 255);
        String answer;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(address), 0)) {
            socket.getOutputStream().write(("GET /v1/accounts/nobody/balance HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Request-Id: " + sent + "\r\nAuthorization: Bearer cpk_not-a-key\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(answer).startsWith("HTTP/1.1 401").containsIgnoringCase("X-Request-Id: " + sent + "\r\n");
        List<ILoggingEvent> mine = lines.list.stream()
                .filter(e -> sent.equals(e.getMDCPropertyMap().get("requestId"))).toList();
        assertThat(mine).as("refusal log lines of " + sent).hasSize(1);
        assertThat(mine.get(0).getFormattedMessage()).startsWith("refused authentication from " + address + ": GET ")
                .doesNotContain("cpk_not-a-key");
        assertThat(mine.get(0).getMDCPropertyMap()).containsEntry("clientAddress", address)
                .doesNotContainKey("keyName");
    }

    @Test
    @DisplayName("a refusal of a known key (403): the log line names the key, never its secret")
    void forbiddenRefusalNamesTheKey() throws Exception {
        String name = newId("analyst");
        String secret = newKey(name, "'analyst'", "'QODER'");
        String sent = "forbidden-" + UUID.randomUUID();
        HttpResponse<String> r = send("/v1/keys", sent, secret);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("X-Request-Id")).hasValue(sent);
        Map<String, String> mdc = lineOf(sent);
        assertThat(mdc).containsEntry("keyName", name).containsEntry("clientAddress", "127.0.0.1");
        assertThat(lines.list).noneMatch(e -> e.getFormattedMessage().contains(secret)
                || e.getMDCPropertyMap().containsValue(secret));
    }

    private Map<String, String> lineOf(String requestId) throws IOException {
        List<ILoggingEvent> mine = lines.list.stream()
                .filter(e -> requestId.equals(e.getMDCPropertyMap().get("requestId"))).toList();
        assertThat(mine).as("refusal log lines of " + requestId).hasSize(1);
        assertThat(mine.get(0).getFormattedMessage()).startsWith("refused GET ");
        return mine.get(0).getMDCPropertyMap();
    }
}

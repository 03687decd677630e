package dev.creditspolicy.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
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
    private final Logger refusals = (Logger) LoggerFactory.getLogger(ProblemHandler.class);

    @BeforeEach
    void listen() {
        lines.start();
        refusals.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        refusals.detachAppender(lines);
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
        HttpResponse<String> r = send("/v1/accounts/nobody/balance", sent, "cpk_not-a-key");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("X-Request-Id")).hasValue(sent);
        Map<String, String> mdc = lineOf(sent);
        assertThat(mdc).containsEntry("clientAddress", "127.0.0.1").doesNotContainKey("keyName");
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

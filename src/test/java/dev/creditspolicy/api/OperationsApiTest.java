package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import tools.jackson.databind.JsonNode;

@DisplayName("HTTP: rules, health and metrics")
class OperationsApiTest extends ApiTestSupport {
    @Autowired
    private ApplicationContext context;

    @Test
    @DisplayName("without credits.kafka.bootstrap-servers no Kafka bean exists and no Kafka thread runs")
    void noKafkaByDefault() {
        assertEquals(List.of(), List.of(context.getBeanNamesForType(KafkaAdmin.class)));
        assertEquals(List.of(), List.of(context.getBeanNamesForType(MessageListenerContainer.class)));
        assertEquals(List.of(), List.of(context.getBeanNamesForType(KafkaTemplate.class)));
        assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.toLowerCase(java.util.Locale.ROOT).contains("kafka")).toList());
    }


    @Test
    @DisplayName("GET /v1/rules answers the loaded version, the load time and the rule files with their content hashes")
    void rules() throws IOException {
        Reply r = get("/v1/rules").expect(200);

        assertTrue(r.text("version").matches("[0-9a-f]{16,64}"), r.text("version"));
        assertTrue(r.text("dir").endsWith("rules"), r.text("dir"));
        assertFalse(r.text("loadedAt").isBlank());
        assertTrue(texts(r.get("files"), "name").containsAll(
                List.of("exemption.drl", "expiry.drl", "priority.drl", "sharing.drl")), r.response().body());
        for (JsonNode file : r.get("files")) {
            Path onDisk = Path.of(r.text("dir")).resolve(file.get("name").asString());
            assertEquals(sha256(Files.readString(onDisk)), file.get("sha256").asString(), onDisk.toString());
        }
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("POST /v1/rules/reload of an unchanged folder keeps the version and says it did not change")
    void reloadUnchanged() {
        String before = get("/v1/rules").text("version");

        Reply r = post("/v1/rules/reload", "").expect(200);

        assertEquals(before, r.text("version"));
        assertEquals(false, r.get("changed").asBoolean());
        assertEquals(before, get("/v1/rules").text("version"));
    }

    @Test
    @DisplayName("GET /actuator/health shows the rules component UP with the version serving")
    void health() {
        String version = get("/v1/rules").text("version");

        Reply r = get("/actuator/health").expect(200);

        assertEquals("UP", r.text("status"));
        JsonNode rules = r.get("components").get("rules");
        assertEquals("UP", rules.get("status").asString(), r.response().body());
        assertEquals(version, rules.get("details").get("version").asString());
    }

    @Test
    @DisplayName("GET /actuator/metrics/credits.decisions counts decisions by status after a usage call")
    void decisionsMetric() {
        String id = personalAccountWithPlanCredits("alice");
        usage(newId("r"), id, "CLI", "10", "2026-07-05T10:00:00+08:00").expect(200);

        Reply r = get("/actuator/metrics/credits.decisions").expect(200);
        Reply charged = get("/actuator/metrics/credits.decisions?tag=status:CHARGED").expect(200);

        assertEquals("credits.decisions", r.text("name"));
        assertTrue(texts(r.get("availableTags"), "tag").containsAll(List.of("status", "reason")));
        assertTrue(charged.get("measurements").get(0).get("value").asDouble() >= 1.0, charged.response().body());
    }
}

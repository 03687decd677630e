package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Reloading rules that an analyst edited, on a copy of rules/ (the repository's folder is never touched). Its own
 * application context, since the rules folder differs.
 */
@DisplayName("HTTP: rules reload swaps a valid folder and refuses a broken one")
class RulesReloadApiTest extends ApiTestSupport {
    private static final Path RULES = copyOfRepositoryRules();
    private static final Path SHARING = RULES.resolve("sharing.drl");
    private static final String ORIGINAL_SHARING = read(SHARING);

    @DynamicPropertySource
    static void rulesDir(DynamicPropertyRegistry r) {
        r.add("credits.rules-dir", RULES::toString);
    }

    /** Restores the file; each test compares against the version serving when it starts, so no reload is needed. */
    @AfterEach
    void restore() throws IOException {
        Files.writeString(SHARING, ORIGINAL_SHARING);
    }

    @Test
    @DisplayName("a rule file that does not compile is refused as rules-invalid with file and line; the old version serves on")
    void brokenRulesRefused() throws IOException {
        String before = get("/v1/rules").text("version");
        Files.writeString(SHARING, ORIGINAL_SHARING + "\nrule \"broken\"\nwhen\n    UsageCall( nosuchfield == 1 )\n"
                + "then\nend\n");

        Reply r = post("/v1/rules/reload", "");

        assertProblem(r, 422, "rules-invalid", null);
        JsonNode error = r.get("errors").get(0);
        assertEquals("sharing.drl", Path.of(error.get("file").asString()).getFileName().toString());
        assertTrue(error.get("line").asInt() > 0, error.toString());
        assertEquals(before, get("/v1/rules").text("version"));
        assertEquals(before, get("/actuator/health").get("components").get("rules").get("details")
                .get("version").asString());
        String id = personalAccountWithPlanCredits("alice");
        Reply d = usage(newId("r"), id, "CLI", "10", "2026-07-05T10:00:00+08:00").expect(200);
        assertEquals(before, d.text("rulesVersion"));
    }

    @Test
    @DisplayName("an edited folder that compiles is swapped in: a new version, and decisions name it")
    void editedRulesSwapped() throws IOException {
        String before = get("/v1/rules").text("version");
        Files.writeString(SHARING, ORIGINAL_SHARING + "\n// an analyst's note\n");

        Reply r = post("/v1/rules/reload", "").expect(200);

        assertEquals(true, r.get("changed").asBoolean());
        assertNotEquals(before, r.text("version"));
        String id = personalAccountWithPlanCredits("alice");
        Reply d = usage(newId("r"), id, "CLI", "10", "2026-07-05T10:00:00+08:00").expect(200);
        assertEquals(r.text("version"), d.text("rulesVersion"));
    }

    private static Path copyOfRepositoryRules() {
        try {
            Path dir = Files.createTempDirectory("rules-reload-test");
            try (Stream<Path> files = Files.list(Path.of("rules"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.creditspolicy.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.creditspolicy.support.HostileRules;
import dev.creditspolicy.support.TestServices;

/**
 * POST /v1/rules/reload of each file of the hostile corpus, on a copy of rules/ this context serves: 422 with file
 * and line, no marker, the secret in neither the answer nor the history, and the serving rules' answers
 * byte-identical before and after.
 */
@DisplayName("HTTP: a reload of a hostile rule file is refused and changes nothing that serves")
class HostileRulesReloadApiTest extends ApiTestSupport {
    private static final Path RULES = TestServices.copyOfRules(tempDir().resolve("rules"));
    private static String secret;

    @DynamicPropertySource
    static void rulesDir(DynamicPropertyRegistry r) {
        r.add("credits.rules-dir", RULES::toString);
    }

    @BeforeAll
    static void theSecret() {
        secret = HostileRules.secret();
    }

    @AfterEach
    void removeTheHostileFile() throws IOException {
        Files.deleteIfExists(RULES.resolve(HostileRules.FILE));
    }

    static List<String> corpus() {
        return HostileRules.corpus();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refused(String name, @TempDir Path dir) {
        Path marker = dir.resolve("marker");
        String personal = personalAccountWithPlanCredits("alice");
        String enterprise = newId("ent");
        createAccount(enterprise, "QODER", "ENTERPRISE_TEAMS").expect(201);
        String before = answers(personal, enterprise);
        String version = get("/v1/rules").text("version");
        HostileRules.addTo(RULES, name, marker);

        Reply r = post("/v1/rules/reload", "");

        assertProblem(r, 422, "rules-invalid", null);
        assertThat(r.get("errors").toString()).contains("\"file\":\"" + HostileRules.FILE + "\"");
        assertThat(r.response().body()).doesNotContain(secret);
        assertThat(get("/v1/rules/history?limit=1").response().body()).contains("REFUSED").doesNotContain(secret);
        assertThat(marker).doesNotExist();
        assertThat(get("/v1/rules").text("version")).isEqualTo(version);
        assertThat(answers(personal, enterprise)).isEqualTo(before);
    }

    /** What the serving rules answer: a usage evaluation of each account and an enterprise add-on grant. */
    private String answers(String personal, String enterprise) {
        String usage = post("/v1/evaluate", usageBody("r1", personal, "CLI", "10", "2026-07-05T10:00:00+08:00"))
                .expect(200).response().body();
        String enterpriseUsage = post("/v1/evaluate", usageBody("r2", enterprise, "IDE", "10",
                "2026-07-05T10:00:00+08:00")).response().body();
        // refused for an enterprise account; were it granted, the second grant of the same lot would answer otherwise
        String grant = grant(enterprise, enterprise + "-addon", "PURCHASE", "10", AUG_01).response().body();
        return usage + "\n" + enterpriseUsage + "\n" + grant;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("hostile-reload-test");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

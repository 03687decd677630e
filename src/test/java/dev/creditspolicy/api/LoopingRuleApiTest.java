package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.creditspolicy.support.CandidateRules;

/**
 * The service serving rules with a rule that loops on some facts (a lot of more than 50 credits): a call that meets
 * it answers 503 rules-timeout at once, naming the rule, stores nothing, and the service goes on serving; a reload of
 * a candidate that loops on every call is refused and the serving rules stay.
 */
@DisplayName("HTTP: a looping rule is contained (rules-timeout), and a looping candidate is refused")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopingRuleApiTest extends ApiTestSupport {
    private static final Path RULES = CandidateRules.withRule(tempDir(), CandidateRules.LOOP_ON_BIG_LOTS);

    @DynamicPropertySource
    static void rulesDir(DynamicPropertyRegistry r) {
        r.add("credits.rules-dir", RULES::toString);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("looping-rules").resolve("rules");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("usage and evaluate meeting the loop: 503 rules-timeout naming the rule, nothing stored, counted")
    void loopAnswersRulesTimeout() {
        String id = personalAccountWithPlanCredits("loop"); // a 100-credit plan lot: the loop's condition
        String requestId = newId("r");
        double before = counted();

        Reply usage = usage(requestId, id, "CLI", "10", "2026-07-05T10:00:00+08:00");
        Reply evaluate = post("/v1/evaluate", usageBody(newId("e"), id, "CLI", "10", "2026-07-05T10:00:00+08:00"));

        for (Reply r : new Reply[] {usage, evaluate}) {
            assertProblem(r, 503, "rules-timeout", null);
            assertEquals(CandidateRules.LOOP_ON_BIG_LOTS_RULE, r.text("rule"));
            assertTrue(r.text("detail").contains("nothing was stored"), r.text("detail"));
        }
        assertProblem(get("/v1/usage/" + requestId), 404, "not-found", "requestId");
        assertAmount("100", get("/v1/accounts/" + id + "/lots").json().get(0).get("remaining"));
        assertEquals(before + 2, counted(), "credits.rules.budget.exceeded counts both");

        // an account the loop does not meet is served as usual, on the same pooled sessions
        String small = newId("small");
        createAccount(small, "QODER_CN", "PERSONAL_PRO").expect(201);
        cycle(small, small + "-plan", "PERSONAL_PRO", "20").expect(201);
        assertEquals("CHARGED", usage(newId("r"), small, "CLI", "5", "2026-07-05T10:00:00+08:00").expect(200)
                .text("status"));
    }

    @Test
    @DisplayName("a reload of rules that loop on every call is refused with the rule's file and line; the old rules "
            + "serve on")
    void loopingReloadRefused() throws IOException {
        String serving = get("/v1/rules").text("version");
        Path sharing = RULES.resolve("sharing.drl");
        String original = Files.readString(sharing);
        try {
            Files.writeString(sharing, original + CandidateRules.LOOP_ON_EVERY_CALL);
            Reply r = assertProblem(post("/v1/rules/reload", ""), 422, "rules-invalid", null);
            assertEquals("sharing.drl", Path.of(r.get("errors").get(0).get("file").asString()).getFileName()
                    .toString());
            assertEquals(CandidateRules.LOOP_ON_EVERY_CALL_RULE, r.get("errors").get(0).get("rule").asString());
            assertTrue(r.get("errors").get(0).get("line").asInt() > 0);
        } finally {
            Files.writeString(sharing, original);
        }
        assertEquals(serving, get("/v1/rules").text("version"));
    }

    private double counted() {
        return get("/actuator/metrics/credits.rules.budget.exceeded").expect(200).get("measurements").get(0)
                .get("value").asDouble();
    }
}

package dev.creditspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.support.CandidateRules;

class ReplayCommandTest {
    static final String PASSING = """
            name: a charged call draws on the plan lot
            steps:
              - account: {id: alice, realm: QODER_CN, plan: PERSONAL_PRO, at: 2026-07-01T00:00:00+08:00}
              - cycle: {account: alice, plan: PERSONAL_PRO, start: 2026-07-01T00:00:00+08:00, end: 2026-08-01T00:00:00+08:00, credits: 100, lotId: plan-jul}
              - usage: {requestId: r1, account: alice, product: IDE, feature: EDITOR_ASK, model: m, outcome: SUCCEEDED, credits: 12.5, occurredAt: 2026-07-02T00:00:00+08:00}
                expect: {status: CHARGED, charged: 12.5, allocations: {plan-jul: 12.5000}}
              - balance: {account: alice, at: 2026-07-02T00:00:00Z}
                expect: {total: 87.5, PLAN: 87.5, ADDON: 0}
            """;

    @Test
    @DisplayName("A passing scenario: exit 0 and the summary line")
    void passing(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ok.yaml"), PASSING);
        CliRun run = CliRun.of("replay", dir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).endsWith("1 passed, 0 failed\n");
    }

    @Test
    @DisplayName("-v explains every usage step: each lot, why it was or was not drawn, and the rule; byte-identical "
            + "on a second run")
    void verboseExplains(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ok.yaml"), PASSING.replace("  - usage:", "  - grant: {account: alice, "
                + "lotId: june, source: PROMOTION, amount: 5, effectiveAt: 2026-06-01T00:00:00+08:00, "
                + "expiresAt: 2026-06-30T00:00:00+08:00, reason: june}\n  - usage:"));
        CliRun run = CliRun.of("replay", "-v", dir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("PASS " + dir.resolve("ok.yaml"))
                .contains("  step 4 (line 6) usage r1: CHARGED CHARGED\n"
                        + "    plan-jul (PLAN): drawn 12.5  [A lot without an origin product serves the products its "
                        + "tier shares with]\n"
                        + "    june (ADDON): expired  [An expired lot is not drawn on]\n")
                .endsWith("1 passed, 0 failed\n");
        assertThat(CliRun.of("replay", "-v", dir.toString()).out()).isEqualTo(run.out());
        assertThat(CliRun.of("replay", dir.toString()).out()).doesNotContain("drawn 12.5");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    @DisplayName("Rules that loop on a step: the step fails with rules-timeout naming the rule, the replay ends, and "
            + "rules check refuses rules that loop or meet a loop in the scenarios")
    void loopingRules(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ok.yaml"), PASSING);
        Path loopsOnBigLots = CandidateRules.withRule(dir.resolve("big"), CandidateRules.LOOP_ON_BIG_LOTS);
        CliRun run = CliRun.of("replay", "--rules", loopsOnBigLots.toString(), dir.resolve("ok.yaml").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("step 3 (line 5) usage r1")
                .contains("actual rules-timeout").contains(CandidateRules.LOOP_ON_BIG_LOTS_RULE)
                .endsWith("0 passed, 1 failed\n");

        CliRun check = CliRun.of("rules", "check", loopsOnBigLots.toString());
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out()).contains("actual rules-timeout");

        Path loopsAlways = CandidateRules.withRule(dir.resolve("always"), CandidateRules.LOOP_ON_EVERY_CALL);
        CliRun refused = CliRun.of("rules", "check", loopsAlways.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("sharing.drl:").contains(CandidateRules.LOOP_ON_EVERY_CALL_RULE)
                .contains("within the budget");
    }

    @Test
    @DisplayName("A failing step prints expected against actual, and the run exits non-zero")
    void failing(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), PASSING.replace("total: 87.5", "total: 90"));
        CliRun run = CliRun.of("replay", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("FAIL " + dir.resolve("bad.yaml"))
                .contains("step 4 (line 7) balance alice")
                .contains("total: expected 90, actual 87.5000")
                .endsWith("0 passed, 1 failed\n");
    }

    @Test
    @DisplayName("A file that does not parse and an unknown expect key are failures with file and line")
    void malformed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a-broken.yaml"), "name: x\nsteps:\n  - usage: {requestId: [\n");
        Files.writeString(dir.resolve("b-typo.yaml"), PASSING.replace("expect: {total", "expect: {totl"));
        CliRun run = CliRun.of("replay", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains(dir.resolve("a-broken.yaml") + ":4: not valid YAML")
                .contains(dir.resolve("b-typo.yaml") + ":8: unknown expect key 'totl' for a balance step")
                .endsWith("0 passed, 2 failed\n");
    }

    @Test
    @DisplayName("Replaying the same scenarios twice prints byte-identical output")
    void deterministic() {
        CliRun first = CliRun.of("replay", "-v", "src/test/scenarios");
        CliRun second = CliRun.of("replay", "-v", "src/test/scenarios");
        assertThat(first.exitCode()).as("the first replay's output:%n%s", first.out()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
    }

    @Test
    @DisplayName("replay with no PATH replays the suite bundled in the build")
    void bundledByDefault(@TempDir Path dir) throws IOException {
        CliRun run = CliRun.of("replay");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("scenarios: " + RulesCommandTest.SUITE_SIZE + " from the bundled suite ("
                + RulesCommandTest.BUNDLED + ")\n").endsWith(RulesCommandTest.SUITE_SIZE + " passed, 0 failed\n");

        Path rules = RulesFolders.withAddonBeforePlan(dir.resolve("candidate"));
        CliRun candidate = CliRun.of("replay", "--rules", rules.toString());
        assertThat(candidate.exitCode()).isEqualTo(1);
        assertThat(candidate.out())
                .contains("FAIL " + RulesCommandTest.BUNDLED + "priority/plan-before-addon-at-equal-expiry.yaml: ");
    }

    @Test
    @DisplayName("--rules replays against another rules folder; a broken one is reported with file and line")
    void candidateRules(@TempDir Path dir) throws IOException {
        Path rules = RulesFolders.copyOfRepositoryRules(dir.resolve("candidate"));
        Files.writeString(rules.resolve("priority.drl"), "rule \"half\" when then\n", java.nio.file.StandardOpenOption.APPEND);
        CliRun run = CliRun.of("replay", "--rules", rules.toString(), "src/test/scenarios");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("priority.drl:").contains("half");
    }
}

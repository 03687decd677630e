package dev.creditspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.support.TestServices;

class RulesCommandTest {
    static final String BUNDLED = "classpath:creditspolicy/scenarios/";
    /** The suite's size, counted in the source tree: what the build must have bundled. */
    static final int SUITE_SIZE = suiteSize();

    static int suiteSize() {
        try (var files = Files.walk(Path.of("src/test/scenarios"))) {
            return (int) files.filter(f -> f.toString().endsWith(".yaml")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("rules check: the repository rules compile and pass the scenario suite")
    void checkPasses() {
        CliRun run = CliRun.of("rules", "check", "rules");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("rules compile: version ").contains(" 0 failed");
    }

    @Test
    @DisplayName("rules check: a syntax error is reported with file and line, exit 1")
    void checkSyntaxError(@TempDir Path dir) throws IOException {
        Path rules = RulesFolders.copyOfRepositoryRules(dir);
        String expiry = Files.readString(rules.resolve("expiry.drl"));
        Files.writeString(rules.resolve("expiry.drl"), expiry.replaceFirst("then\n", "\n"));
        CliRun run = CliRun.of("rules", "check", rules.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("rules refused").contains("expiry.drl:");
    }

    @Test
    @DisplayName("rules check: a rule that imports or calls outside the facts package is refused, with its line")
    void checkSandbox(@TempDir Path dir) throws IOException {
        Path rules = RulesFolders.copyOfRepositoryRules(dir);
        String text = Files.readString(rules.resolve("exemption.drl"))
                .replace("import dev.creditspolicy.policy.facts.*;",
                        "import dev.creditspolicy.policy.facts.*;\nimport java.nio.file.Files;")
                .replace("    insert(new Exemption(Reason.FAILED_CALL));",
                        "    insert(new Exemption(Reason.FAILED_CALL));\n    System.exit(3);");
        Files.writeString(rules.resolve("exemption.drl"), text);
        CliRun run = CliRun.of("rules", "check", rules.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .contains("exemption.drl:6: imports java.nio.file.Files; a rule file may import the facts "
                        + "(dev.creditspolicy.policy.facts.*) and the classes of the allow-list only")
                .contains("exemption.drl:13 (rule \"A failed call is exempt: only successful model calls are "
                        + "charged\"): names System, which is");
    }

    @Test
    @DisplayName("rules check: a candidate that compiles but breaks the suite fails")
    void checkRunsSuite(@TempDir Path dir) throws IOException {
        Path rules = RulesFolders.withEnterpriseIde(dir);
        CliRun run = CliRun.of("rules", "check", rules.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("FAIL " + BUNDLED + "sharing/").contains("status: expected INSUFFICIENT");
    }

    @Test
    @DisplayName("rules check: with no flag it replays the suite bundled in the build, whatever the working directory")
    void checkReplaysTheBundledSuite(@TempDir Path dir) throws IOException {
        Path rules = RulesFolders.withAddonBeforePlan(dir.resolve("candidate"));
        CliRun run = CliRun.of("rules", "check", rules.toAbsolutePath().toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .contains("\nscenarios: " + SUITE_SIZE + " from the bundled suite (" + BUNDLED + ")\n")
                .contains("FAIL " + BUNDLED + "priority/plan-before-addon-at-equal-expiry.yaml: ")
                .contains("allocations.z-plan: expected 100, actual 70.0000")
                .doesNotContain("src/test/scenarios");
    }

    @Test
    @DisplayName("rules check --no-scenarios: compiles only, and says the suite was not replayed")
    void checkWithoutScenarios(@TempDir Path dir) throws IOException {
        Path rules = RulesFolders.withAddonBeforePlan(dir.resolve("candidate"));
        CliRun run = CliRun.of("rules", "check", "--no-scenarios", rules.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("rules compile: version ")
                .endsWith("\nscenario suite NOT replayed (--no-scenarios)\n").doesNotContain("passed");

        CliRun both = CliRun.of("rules", "check", "--no-scenarios", "--scenarios", dir.toString(), rules.toString());
        assertThat(both.exitCode()).isEqualTo(2);
    }

    @Test
    @DisplayName("rules check --scenarios: a folder with no scenario in it fails, even beside one that has some")
    void checkEmptyScenarios(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "not a scenario");
        Path some = Files.createDirectories(dir.resolve("some"));
        Files.writeString(some.resolve("ok.yaml"), ReplayCommandTest.PASSING);

        CliRun alone = CliRun.of("rules", "check", "--scenarios", empty.toString(), "rules");
        assertThat(alone.exitCode()).isEqualTo(1);
        assertThat(alone.out()).contains("FAIL no scenario files in " + empty).endsWith("0 passed, 1 failed\n");

        CliRun beside = CliRun.of("rules", "check", "--scenarios", some.toString(), "--scenarios", empty.toString(),
                "rules");
        assertThat(beside.exitCode()).isEqualTo(1);
        assertThat(beside.out()).contains("FAIL no scenario files in " + empty).endsWith("1 passed, 1 failed\n");
    }

    @Test
    @DisplayName("rules check --scenarios replaces the bundled suite; --with-bundled adds it back")
    void checkOwnScenarios(@TempDir Path dir) throws IOException {
        Path some = Files.createDirectories(dir.resolve("some"));
        Files.writeString(some.resolve("ok.yaml"), ReplayCommandTest.PASSING);

        CliRun own = CliRun.of("rules", "check", "--scenarios", some.toString(), "rules");
        assertThat(own.exitCode()).isZero();
        assertThat(own.out()).contains("\nscenarios: 1 from " + some + "\n").endsWith("1 passed, 0 failed\n");

        CliRun both = CliRun.of("rules", "check", "--with-bundled", "--scenarios", some.toString(), "rules");
        assertThat(both.exitCode()).isZero();
        assertThat(both.out())
                .contains("\nscenarios: " + SUITE_SIZE + " from the bundled suite (" + BUNDLED + "), 1 from " + some
                        + "\n")
                .endsWith((SUITE_SIZE + 1) + " passed, 0 failed\n");
    }

    @Test
    @DisplayName("rules impact: opening IDE and JetBrains to enterprise lists exactly those calls, now CHARGED")
    void impactEnterpriseIde(@TempDir Path dir) throws IOException {
        Path candidate = RulesFolders.withEnterpriseIde(dir.resolve("candidate"));
        Path scenario = dir.resolve("acme.yaml");
        Files.writeString(scenario, """
                name: an enterprise account calls from every product
                steps:
                  - account: {id: acme, realm: QODER, plan: ENTERPRISE_TEAMS, at: 2026-07-01T00:00:00+08:00}
                  - cycle: {account: acme, plan: ENTERPRISE_TEAMS, start: 2026-07-01T00:00:00+08:00, end: 2026-08-01T00:00:00+08:00, credits: 100, lotId: acme-jul}
                  - usage: {requestId: ide-1, account: acme, product: IDE, feature: EDITOR_AGENT, model: m, outcome: SUCCEEDED, credits: 10, occurredAt: 2026-07-02T00:00:00+08:00}
                  - usage: {requestId: cli-1, account: acme, product: CLI, feature: QUEST_AGENT, model: m, outcome: SUCCEEDED, credits: 5, occurredAt: 2026-07-02T01:00:00+08:00}
                  - usage: {requestId: jb-1, account: acme, product: JETBRAINS, feature: EDITOR_ASK, model: m, outcome: SUCCEEDED, credits: 2.5, occurredAt: 2026-07-02T02:00:00+08:00}
                  - usage: {requestId: mob-1, account: acme, product: MOBILE, feature: EDITOR_ASK, model: m, outcome: SUCCEEDED, credits: 1, occurredAt: 2026-07-02T03:00:00+08:00}
                  - usage: {requestId: ide-old, account: acme, product: IDE, feature: EDITOR_ASK, model: m, outcome: SUCCEEDED, credits: 1, occurredAt: 2026-06-30T23:00:00+08:00}
                """);
        CliRun run = CliRun.of("rules", "impact", "--to", candidate.toString(), "--scenarios", scenario.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("2 of 5 usage decisions change")
                .contains("acme ide-1 (IDE, ENTERPRISE_TEAMS, 2026-07-01T16:00:00Z)")
                .contains("  before: INSUFFICIENT NOT_SHARED_WITH_PRODUCT charged 0.0000 lots {}\n"
                        + "  after:  CHARGED CHARGED charged 10.0000 lots {acme-jul=10.0000}")
                .contains("acme jb-1 (JETBRAINS, ENTERPRISE_TEAMS")
                .doesNotContain("cli-1").doesNotContain("mob-1").doesNotContain("ide-old")
                .contains("Credits charged: before 5.0000, after 17.5000 (+12.5000)")
                .contains("by product: IDE +10.0000, JETBRAINS +2.5000")
                .contains("by plan:    ENTERPRISE_TEAMS +12.5000");

        CliRun json = CliRun.of("rules", "impact", "--to", candidate.toString(), "--scenarios", scenario.toString(),
                "--format", "json", "--since", "2026-07-02T01:30:00+08:00");
        assertThat(json.out()).contains("\"decisionsCompared\" : 2").contains("\"requestId\" : \"jb-1\"")
                .doesNotContain("\"requestId\" : \"ide-1\"");
    }

    @Test
    @DisplayName("rules impact counts the events the serving rules and a candidate alerts.drl raise over the history")
    void impactCountsEvents(@TempDir Path dir) throws IOException {
        Path candidate = TestServices.copyOfRules(dir.resolve("candidate"));
        Path alerts = candidate.resolve("alerts.drl");
        Files.writeString(alerts, Files.readString(alerts).replace("$a.percentOfGrant(20)", "$a.percentOfGrant(5)"));
        Path scenario = dir.resolve("alice.yaml");
        Files.writeString(scenario, """
                name: plan credits used down to 30 then 10
                steps:
                  - account: {id: alice, realm: QODER, plan: PERSONAL_PRO, at: 2026-07-01T00:00:00+08:00}
                  - cycle: {account: alice, plan: PERSONAL_PRO, start: 2026-07-01T00:00:00+08:00, end: 2026-08-01T00:00:00+08:00, credits: 100, lotId: jul}
                  - usage: {requestId: r1, account: alice, product: CLI, feature: QUEST_AGENT, model: m, outcome: SUCCEEDED, credits: 70, occurredAt: 2026-07-02T00:00:00+08:00}
                  - usage: {requestId: r2, account: alice, product: CLI, feature: QUEST_AGENT, model: m, outcome: SUCCEEDED, credits: 20, occurredAt: 2026-07-02T01:00:00+08:00}
                """);
        CliRun run = CliRun.of("rules", "impact", "--to", candidate.toString(), "--scenarios", scenario.toString());
        assertThat(run.exitCode()).isZero();
        // serving rules: low below 20% of the grant (r2 leaves 10); the candidate: below 5%, never reached
        assertThat(run.out()).contains("0 of 2 usage decisions change").contains("Events raised: \n"
                + "  balance.low 1 -> 0 (-1)\n");
    }

    @Test
    @DisplayName("rules impact: a change is filed under the plan the call was judged under, late calls included")
    void impactFilesChangesUnderThePlanAtTheCall(@TempDir Path dir) throws IOException {
        Path candidate = RulesFolders.withEnterpriseIde(dir.resolve("candidate"));
        Path scenario = dir.resolve("bob.yaml");
        Files.writeString(scenario, """
                name: a personal account moves to an enterprise tier; one IDE call arrives late
                steps:
                  - account: {id: bob, realm: QODER, plan: PERSONAL_PRO, at: 2026-07-01T00:00:00+08:00}
                  - cycle: {account: bob, plan: PERSONAL_PRO, start: 2026-07-01T00:00:00+08:00, end: 2026-08-01T00:00:00+08:00, credits: 100, lotId: bob-jul}
                  - planChange: {account: bob, kind: UPGRADE, toPlan: ENTERPRISE_TEAMS, at: 2026-07-10T00:00:00+08:00}
                  - cycle: {account: bob, plan: ENTERPRISE_TEAMS, start: 2026-07-10T00:00:00+08:00, end: 2026-08-10T00:00:00+08:00, credits: 100, lotId: bob-ent}
                  - usage: {requestId: ide-after, account: bob, product: IDE, feature: EDITOR_ASK, model: m, outcome: SUCCEEDED, credits: 3, occurredAt: 2026-07-11T00:00:00+08:00}
                  - usage: {requestId: ide-late, account: bob, product: IDE, feature: EDITOR_ASK, model: m, outcome: SUCCEEDED, credits: 2, occurredAt: 2026-07-05T00:00:00+08:00}
                """);
        CliRun run = CliRun.of("rules", "impact", "--to", candidate.toString(), "--scenarios", scenario.toString());
        assertThat(run.exitCode()).isZero();
        // the late call was made on PERSONAL_PRO, which shares with the IDE under both rule sets: no change
        assertThat(run.out())
                .contains("1 of 2 usage decisions change")
                .contains("bob ide-after (IDE, ENTERPRISE_TEAMS, 2026-07-10T16:00:00Z)")
                .doesNotContain("ide-late")
                .contains("by plan:    ENTERPRISE_TEAMS +3.0000");
    }

    /** The README's price-change walk-through: a history with priced calls around the new price's date. */
    static final String PRICED_HISTORY = """
            name: two accounts' priced calls around 2026-10-01
            steps:
              - account: {id: ada, realm: QODER, plan: PERSONAL_PRO, at: 2026-09-01T00:00:00+08:00}
              - cycle: {account: ada, plan: PERSONAL_PRO, start: 2026-09-01T00:00:00+08:00, end: 2026-11-01T00:00:00+08:00, credits: 20, lotId: ada-pro}
              - usage: {requestId: ada-sep, account: ada, product: IDE, feature: EDITOR_ASK, model: qwen3-max, outcome: SUCCEEDED, inputTokens: 1000, outputTokens: 1000, occurredAt: 2026-09-30T12:00:00+08:00}
              - usage: {requestId: ada-oct-1, account: ada, product: IDE, feature: EDITOR_ASK, model: qwen3-max, outcome: SUCCEEDED, inputTokens: 1000, outputTokens: 1000, occurredAt: 2026-10-02T09:00:00+08:00}
              - usage: {requestId: ada-oct-2, account: ada, product: CLI, feature: QUEST_AGENT, model: qwen3-max, outcome: SUCCEEDED, inputTokens: 2000, outputTokens: 1500, occurredAt: 2026-10-03T09:00:00+08:00}
              - usage: {requestId: ada-flash, account: ada, product: IDE, feature: EDITOR_ASK, model: qwen3-coder-flash, outcome: SUCCEEDED, inputTokens: 1000, outputTokens: 1000, occurredAt: 2026-10-04T09:00:00+08:00}
              - account: {id: ben, realm: QODER, plan: PERSONAL_PRO, at: 2026-09-01T00:00:00+08:00}
              - cycle: {account: ben, plan: PERSONAL_PRO, start: 2026-09-01T00:00:00+08:00, end: 2026-11-01T00:00:00+08:00, credits: 100, lotId: ben-pro}
              - usage: {requestId: ben-oct, account: ben, product: CLI, feature: QUEST_EXPERTS, model: qwen3-max, outcome: SUCCEEDED, inputTokens: 4000, outputTokens: 2000, occurredAt: 2026-10-05T09:00:00+08:00}
              - usage: {requestId: ben-credits, account: ben, product: CLI, feature: QUEST_EXPERTS, model: qwen3-max, outcome: SUCCEEDED, credits: 7, occurredAt: 2026-10-06T09:00:00+08:00}
            """;

    @Test
    @DisplayName("rules check and rules impact of a price change in prices.csv: per account, per model, in total, "
            + "and the calls it turns INSUFFICIENT")
    void impactOfAPriceChange(@TempDir Path dir) throws IOException {
        Path candidate = RulesFolders.withQwen3MaxPriceRise(dir.resolve("candidate"));
        CliRun check = CliRun.of("rules", "check", candidate.toString());
        assertThat(check.exitCode()).isZero();
        assertThat(check.out()).contains(" 0 failed");

        Path history = dir.resolve("history.yaml");
        Files.writeString(history, PRICED_HISTORY);
        CliRun run = CliRun.of("rules", "impact", "--to", candidate.toString(), "--scenarios", history.toString());
        assertThat(run.exitCode()).isZero();
        // ada-oct-1: 0.6 + 2.4 = 3.0 before, 0.9 + 3.6 = 4.5 after; ada-oct-2 (x 2): 9.6 before (14 left), 14.4
        // after, above the 12.5 then left: INSUFFICIENT; ben-oct (x 3): 21.6 -> 32.4; the September call, the other
        // model's and the call in credits keep their cost
        assertThat(run.out())
                .contains("3 of 6 usage decisions change")
                .contains("ada ada-oct-1 (IDE, PERSONAL_PRO, 2026-10-02T01:00:00Z)")
                .contains("  before: CHARGED CHARGED charged 3.0000 lots {ada-pro=3.0000} price 3.0000\n"
                        + "  after:  CHARGED CHARGED charged 4.5000 lots {ada-pro=4.5000} price 4.5000")
                .contains("  before: CHARGED CHARGED charged 9.6000 lots {ada-pro=9.6000} price 9.6000\n"
                        + "  after:  INSUFFICIENT INSUFFICIENT_BALANCE charged 0.0000 lots {} price 14.4000")
                .doesNotContain("ada-sep").doesNotContain("ada-flash").doesNotContain("ben-credits")
                .contains("Credits charged: before 44.4500, after 47.1500 (+2.7000)")
                .contains("by account: ada -8.1000, ben +10.8000")
                .contains("by model:   qwen3-max +2.7000")
                .contains("Turned INSUFFICIENT: ada ada-oct-2 (qwen3-max, 2026-10-03T01:00:00Z)")
                .contains("Turned CHARGED:      none");
    }
}

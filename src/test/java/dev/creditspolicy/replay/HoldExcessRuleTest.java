package dev.creditspolicy.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RulesInvalidException;
import dev.creditspolicy.support.TestServices;

/** What a commit does with its excess over the hold is holds.drl's: an analyst changes it there, not in Java. */
class HoldExcessRuleTest {
    private static final String SCENARIO = """
            name: excess under the analyst's rule
            steps:
              - account: {id: alice, realm: QODER_CN, plan: PERSONAL_PRO, at: 2026-07-01T00:00:00+08:00}
              - cycle: {account: alice, plan: PERSONAL_PRO, start: 2026-07-01T00:00:00+08:00, end: 2026-08-01T00:00:00+08:00, credits: 100, lotId: plan-jul}
              - hold: {holdId: h1, account: alice, product: CLI, feature: QUEST_AGENT, model: m, credits: 30, occurredAt: 2026-07-03T10:00:00+08:00}
              - commit: {hold: h1, outcome: SUCCEEDED, credits: 50, occurredAt: 2026-07-03T10:10:00+08:00}
                expect: {status: CHARGED, reason: %s, charged: %s, shortfall: %s, allocations: {plan-jul: %s}}
            """;

    @Test
    @DisplayName("by default the excess is drawn from unheld credits; a holds.drl concluding CHARGE_HELD_ONLY charges "
            + "the held amount and states the excess as the HOLD_EXCEEDED shortfall")
    void excessPolicyComesFromTheRuleFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("excess.yaml");
        Files.writeString(file, SCENARIO.formatted("CHARGED", 50, 0, 50));
        assertThat(new ScenarioRunner(TestServices.rules()).run(file).failures()).isEmpty();

        Path rules = dir.resolve("rules");
        TestServices.copyOfRules(rules);
        Path holds = rules.resolve("holds.drl");
        Files.writeString(holds, Files.readString(holds).replace("ExcessPolicy.DRAW_UNHELD",
                "ExcessPolicy.CHARGE_HELD_ONLY"));
        Files.writeString(file, SCENARIO.formatted("HOLD_EXCEEDED", 30, 20, 30));
        PolicyEngine candidate = PolicyEngine.load(rules, Clock.systemUTC());
        assertThat(new ScenarioRunner(candidate).run(file).failures()).isEmpty();
    }

    @Test
    @DisplayName("a rule set that decides nothing about an excess is refused by the self-check")
    void noExcessRuleIsRefused(@TempDir Path dir) throws IOException {
        TestServices.copyOfRules(dir);
        Files.delete(dir.resolve("holds.drl"));
        org.junit.jupiter.api.Assertions.assertThrows(RulesInvalidException.class,
                () -> PolicyEngine.load(dir, Clock.systemUTC()));
    }
}

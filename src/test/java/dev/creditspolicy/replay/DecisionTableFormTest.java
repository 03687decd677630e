package dev.creditspolicy.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.support.TestServices;

/** The sharing matrix as a decision table decides exactly as its DRL form, on the whole scenario suite. */
class DecisionTableFormTest {

    /** rules/ with the matrix taken from tables/sharing-matrix.csv instead of sharing-matrix.drl. */
    static Path tableForm(Path dir) throws IOException {
        TestServices.copyOfRules(dir);
        Files.delete(dir.resolve("sharing-matrix.drl"));
        Files.copy(Path.of("rules/tables/sharing-matrix.csv"), dir.resolve("sharing-matrix.csv"));
        return dir;
    }

    @Test
    @DisplayName("Every scenario of the suite passes, and every answer is the same, under the table form")
    void tableFormDecidesAsTheDrlForm(@TempDir Path dir) throws IOException {
        PolicyEngine table = PolicyEngine.load(tableForm(dir), Clock.systemUTC());
        PolicyEngine drl = TestServices.rules();
        assertThat(table.current().version()).isNotEqualTo(drl.current().version());
        assertThat(table.current().files()).extracting(f -> f.name()).contains("sharing-matrix.csv")
                .doesNotContain("sharing-matrix.drl");

        ScenarioRunner underTable = new ScenarioRunner(table);
        ScenarioRunner underDrl = new ScenarioRunner(drl);
        List<String> failures = new ArrayList<>();
        int usageAnswers = 0;
        for (Path file : ScenarioReader.files(List.of(ScenarioSuiteTest.SUITE))) {
            Scenario scenario = ScenarioReader.read(file);
            failures.addAll(underTable.run(scenario).failures());
            List<ScenarioRunner.StepOutcome> a = underDrl.outcomes(scenario);
            List<ScenarioRunner.StepOutcome> b = underTable.outcomes(scenario);
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).answer() instanceof ObjectNode x && x.has("firedRules")
                        && b.get(i).answer() instanceof ObjectNode y) {
                    x.remove("rulesVersion");
                    y.remove("rulesVersion");
                    // a read hold carries its commit's decision, made under the same rules version
                    if (x.get("outcome") instanceof ObjectNode xo && y.get("outcome") instanceof ObjectNode yo) {
                        xo.remove("rulesVersion");
                        yo.remove("rulesVersion");
                    }
                    assertThat(y).as(file + " " + a.get(i).step().describe()).isEqualTo(x);
                    usageAnswers++;
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(usageAnswers).as("answers compared, fired rules included").isGreaterThan(100);
    }
}

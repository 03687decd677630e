package dev.creditspolicy.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.support.TestServices;

/** record and rules impact over holds: the stored history of every holds scenario replays as it was answered. */
class HoldHistoryTest {
    private static final Path HOLDS = ScenarioSuiteTest.SUITE.resolve("holds");

    @Test
    @DisplayName("record writes holds, commits and releases; the recording replays green and rules impact compares "
            + "the commits as usage decisions")
    void holdsAreRecordedAndReplayed(@TempDir Path dir) throws IOException {
        PolicyEngine rules = TestServices.rules();
        ScenarioRunner runner = new ScenarioRunner(rules);
        List<String> failures = new ArrayList<>();
        List<Scenario> histories = new ArrayList<>();
        int commits = 0;
        for (Path file : ScenarioReader.files(List.of(HOLDS))) {
            Scenario scenario = ScenarioReader.read(file);
            Set<String> accounts = new TreeSet<>();
            List<String> recorded = new ArrayList<>();
            Scenario.Step lastStep = scenario.steps().get(scenario.steps().size() - 1);
            runner.outcomes(scenario, (o, services) -> {
                if (o.step().kind().equals("account") && o.problem() == null) {
                    accounts.add(o.step().body().get("id").asString());
                }
                if (o.step() == lastStep) {
                    // the in-memory ledger is dropped once the scenario ends: record before
                    accounts.forEach(account -> recorded.add(account + "\n" + Recorder.record(services, account)));
                }
            });
            for (String entry : recorded) {
                String account = entry.substring(0, entry.indexOf('\n'));
                String yaml = entry.substring(entry.indexOf('\n') + 1);
                commits += yaml.split("\n  - commit:", -1).length - 1;
                Path out = dir.resolve(file.getFileName() + "-" + account + ".yaml");
                Files.writeString(out, yaml);
                ScenarioRunner.Result replayed = runner.run(out);
                failures.addAll(replayed.failures());
                histories.add(ScenarioReader.read(out));
            }
        }
        assertThat(failures).isEmpty();
        assertThat(commits).as("commits recorded").isGreaterThan(8);
        Impact.Report same = Impact.compare(rules, rules, histories, null, null);
        assertThat(same.changes()).isEmpty();
        assertThat(same.decisionsCompared()).as("usage decisions and commits compared").isGreaterThan(commits);
    }
}

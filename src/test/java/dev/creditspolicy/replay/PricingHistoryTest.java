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

/**
 * Priced calls survive the trip through the ledger: record writes the tokens they sent (never the credits the rules
 * made of them) and their price; the recording replays green, twice with byte-identical output, and rules impact of
 * the same rules over it changes nothing.
 */
class PricingHistoryTest {
    private static final Path PRICING = ScenarioSuiteTest.SUITE.resolve("pricing");

    @Test
    @DisplayName("record writes priced usage, holds and commits with their tokens and price; the recording replays "
            + "green and identically, and rules impact under the same rules changes nothing")
    void pricedCallsAreRecordedAndReplayed(@TempDir Path dir) throws IOException {
        PolicyEngine rules = TestServices.rules();
        ScenarioRunner runner = new ScenarioRunner(rules);
        List<String> failures = new ArrayList<>();
        List<Scenario> histories = new ArrayList<>();
        List<Path> recordings = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (Path file : ScenarioReader.files(List.of(PRICING))) {
            Scenario scenario = ScenarioReader.read(file);
            Set<String> accounts = new TreeSet<>();
            List<String> recorded = new ArrayList<>();
            Scenario.Step lastStep = scenario.steps().get(scenario.steps().size() - 1);
            runner.outcomes(scenario, (o, services) -> {
                if (o.step().kind().equals("account") && o.problem() == null) {
                    accounts.add(o.step().body().get("id").asString());
                }
                if (o.step() == lastStep) {
                    accounts.forEach(account -> recorded.add(account + "\n" + Recorder.record(services, account)));
                }
            });
            for (String entry : recorded) {
                String account = entry.substring(0, entry.indexOf('\n'));
                String yaml = entry.substring(entry.indexOf('\n') + 1);
                all.append(yaml);
                Path out = dir.resolve(file.getFileName() + "-" + account + ".yaml");
                Files.writeString(out, yaml);
                recordings.add(out);
                failures.addAll(runner.run(out).failures());
                histories.add(ScenarioReader.read(out));
            }
        }
        assertThat(failures).isEmpty();
        String text = all.toString();
        assertThat(text).contains("inputTokens: 8000").contains("cachedInputTokens: 8000")
                .contains("price: {").contains("minimumApplied: true");
        // a priced step keeps its tokens, not the price: a price change replays it at the new price
        assertThat(text).doesNotContainPattern("(?m)^  - (usage|hold|commit): [^\\n]*inputTokens[^\\n]* credits: ");

        Impact.Report same = Impact.compare(rules, rules, histories, null, null);
        assertThat(same.changes()).isEmpty();
        assertThat(same.decisionsCompared()).isGreaterThan(20);

        // the same recordings replayed again answer byte for byte the same
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (Path p : recordings) {
            Scenario history = ScenarioReader.read(p);
            runner.outcomes(history).forEach(o -> first.add(String.valueOf(o.answer())));
            runner.outcomes(history).forEach(o -> second.add(String.valueOf(o.answer())));
        }
        assertThat(first).anyMatch(a -> a.contains("\"price\":{"));
        assertThat(second).isEqualTo(first);
    }
}

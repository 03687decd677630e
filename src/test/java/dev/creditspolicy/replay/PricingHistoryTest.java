package dev.creditspolicy.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        RecordedSuite suite = RecordedSuite.of(rules, PRICING, dir);
        List<Scenario> histories = suite.histories();
        List<Path> recordings = suite.recordings();
        assertThat(suite.failures()).isEmpty();
        String text = suite.text();
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

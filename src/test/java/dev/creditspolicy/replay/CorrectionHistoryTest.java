package dev.creditspolicy.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.support.CandidateRules;
import dev.creditspolicy.support.TestServices;

/**
 * record and rules impact over corrections: the stored history of every corrections scenario, voids and reversals
 * included, replays as it was answered; a candidate corrections.drl shows in the impact report.
 */
class CorrectionHistoryTest {
    private static final Path CORRECTIONS = ScenarioSuiteTest.SUITE.resolve("corrections");

    @Test
    @DisplayName("record writes void and reversal steps; the recordings replay green; rules impact replays them and "
            + "reports what an alternative corrections.drl would change")
    void correctionsAreRecordedAndReplayed(@TempDir Path dir) throws IOException {
        PolicyEngine rules = TestServices.rules();
        RecordedSuite suite = RecordedSuite.of(rules, CORRECTIONS, dir);
        List<Scenario> histories = suite.histories();
        assertThat(suite.failures()).isEmpty();
        assertThat(suite.steps("void")).as("voids recorded").isGreaterThan(10);
        assertThat(suite.steps("reversal")).as("reversals recorded").isGreaterThanOrEqualTo(6);
        assertThat(Impact.compare(rules, rules, histories, null, null).changes()).isEmpty();

        // an analyst's candidate: credits reversed to a lot expired since are forfeited
        Path candidate = dir.resolve("candidate");
        TestServices.copyOfRules(candidate);
        CandidateRules.forfeitReversalsToExpiredLots(candidate);
        Impact.Report report = Impact.compare(rules, PolicyEngine.load(candidate, Clock.systemUTC()), histories,
                null, null);
        assertThat(report.changes()).extracting(Impact.Change::requestId).contains("r1");
        assertThat(report.changes()).allMatch(c -> c.after().status().equals("REVERSED"));
        // what is forfeited stays charged: net of reversals, more is charged under the candidate
        assertThat(report.chargedAfter().compareTo(report.chargedBefore())).isPositive();
        assertThat(report.chargedAfter().subtract(report.chargedBefore())).isEqualByComparingTo(new BigDecimal("50"));
    }
}

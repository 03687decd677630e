package dev.creditspolicy.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

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
        RecordedSuite suite = RecordedSuite.of(rules, HOLDS, dir);
        List<Scenario> histories = suite.histories();
        int commits = suite.steps("commit");
        assertThat(suite.failures()).isEmpty();
        assertThat(commits).as("commits recorded").isGreaterThan(8);
        Impact.Report same = Impact.compare(rules, rules, histories, null, null);
        assertThat(same.changes()).isEmpty();
        assertThat(same.decisionsCompared()).as("usage decisions and commits compared").isGreaterThan(commits);
    }
}

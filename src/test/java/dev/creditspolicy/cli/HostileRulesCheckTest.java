package dev.creditspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.creditspolicy.support.HostileRules;

/**
 * `rules check` on each file of the hostile corpus, in this JVM: a payload that ran would create the marker, print
 * the secret, or end the test run (System.exit).
 */
@DisplayName("rules check refuses every hostile rule file with its file and line, running none of it")
class HostileRulesCheckTest {
    static List<String> corpus() {
        return HostileRules.corpus();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refused(String name, @TempDir Path dir) {
        String secret = HostileRules.secret();
        Path marker = dir.resolve("marker");
        Path rules = HostileRules.candidate(dir.resolve("rules"), name, marker);

        CliRun run = CliRun.of("rules", "check", "--no-scenarios", rules.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("rules refused: ").containsPattern(HostileRules.FILE + ":[1-9]")
                .doesNotContain(secret);
        assertThat(marker).doesNotExist();
    }
}

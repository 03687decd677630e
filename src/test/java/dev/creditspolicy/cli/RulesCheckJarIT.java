package dev.creditspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, started as an analyst would: from a working directory that is not the source tree, on a copy of
 * the rules. The scenario suite it replays must be the one bundled in the jar (issue 11: it used to look for
 * {@code src/test/scenarios} in the working directory, find nothing, and pass).
 */
@DisplayName("rules check and replay from the packaged jar, outside the source tree")
class RulesCheckJarIT {
    private static final Path JAR = Path.of(System.getProperty("credits.jar", "target/credits-policy.jar"))
            .toAbsolutePath();
    private static final String BUNDLED = RulesCommandTest.BUNDLED;

    private record Run(int exitCode, String out) {
    }

    /** Failsafe names the jar it packaged; run any other way (a surefire -Dtest pattern) there is no jar to test. */
    @BeforeAll
    static void packagedJar() {
        Assumptions.assumeTrue(System.getProperty("credits.jar") != null,
                "RulesCheckJarIT tests the packaged jar: run it with mvn verify (failsafe)");
        assertThat(JAR).as("the packaged jar").isRegularFile();
    }

    private static Run jar(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(cwd, "out", ".txt");
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the jar did not exit within 5 minutes: " + command);
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a candidate that puts add-on credits before plan credits fails rules check from another folder")
    void invertedPriorityFails(@TempDir Path cwd) throws Exception {
        Path candidate = RulesFolders.withAddonBeforePlan(cwd.resolve("my-rules"));
        Run run = jar(cwd, "rules", "check", "my-rules");
        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.out())
                .contains("scenarios: " + RulesCommandTest.SUITE_SIZE + " from the bundled suite (" + BUNDLED + ")")
                .contains("FAIL " + BUNDLED + "priority/plan-before-addon-at-equal-expiry.yaml: ")
                .doesNotContain("no scenario suite");
        assertThat(candidate).isDirectory();
    }

    @Test
    @DisplayName("the repository's rules pass the bundled suite from another folder; replay with no PATH agrees")
    void repositoryRulesPass(@TempDir Path cwd) throws Exception {
        RulesFolders.copyOfRepositoryRules(cwd.resolve("rules"));
        String total = RulesCommandTest.SUITE_SIZE + " passed, 0 failed";

        Run check = jar(cwd, "rules", "check", "rules");
        assertThat(check.exitCode()).as(check.out()).isZero();
        assertThat(check.out()).endsWith(total + "\n");

        Run replay = jar(cwd, "replay");
        assertThat(replay.exitCode()).as(replay.out()).isZero();
        assertThat(replay.out()).endsWith(total + "\n");
    }

    @Test
    @DisplayName("--no-scenarios passes and says so; an empty --scenarios folder fails")
    void skippingIsSaidAndEmptyFails(@TempDir Path cwd) throws Exception {
        RulesFolders.withAddonBeforePlan(cwd.resolve("my-rules"));
        Files.createDirectories(cwd.resolve("no-cases"));

        Run skipped = jar(cwd, "rules", "check", "--no-scenarios", "my-rules");
        assertThat(skipped.exitCode()).as(skipped.out()).isZero();
        assertThat(skipped.out()).contains("scenario suite NOT replayed (--no-scenarios)");

        Run empty = jar(cwd, "rules", "check", "--scenarios", "no-cases", "my-rules");
        assertThat(empty.exitCode()).as(empty.out()).isEqualTo(1);
        assertThat(empty.out()).contains("FAIL no scenario files in no-cases");
    }
}

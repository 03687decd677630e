package dev.creditspolicy.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.creditspolicy.support.TestServices;

/** The scenario suite of src/test/scenarios, one dynamic test per file, named after the scenario's file. */
class ScenarioSuiteTest {
    static final Path SUITE = Path.of("src/test/scenarios");

    @TestFactory
    Stream<DynamicTest> everyScenarioPasses() {
        ScenarioRunner runner = new ScenarioRunner(TestServices.rules());
        return ScenarioReader.files(List.of(SUITE)).stream().map(file -> DynamicTest.dynamicTest(
                SUITE.relativize(file).toString(), file.toUri(), () -> {
                    ScenarioRunner.Result result = runner.run(file);
                    assertThat(result.failures()).as(result.file() + ": " + result.name()).isEmpty();
                }));
    }

    @Test
    void theSuiteCoversAtLeastFortyScenarios() {
        assertThat(ScenarioReader.files(List.of(SUITE))).hasSizeGreaterThanOrEqualTo(40);
    }
}

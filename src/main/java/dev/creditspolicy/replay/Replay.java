package dev.creditspolicy.replay;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import dev.creditspolicy.policy.PolicyEngine;

/**
 * Replays the bundled suite and/or files and folders and prints the report: which scenarios it replays, every failing
 * step, then "N passed, N failed". Nothing to replay is a failure: the bundled suite missing from the build, or a
 * folder given with no scenario file in it, each counts as one failed scenario.
 */
public final class Replay {
    private Replay() {
    }

    /** What was replayed: each scenario's result, and what could not be replayed at all (each a failure). */
    public record Outcome(List<ScenarioRunner.Result> results, List<String> unusable) {
        public int failed() {
            return unusable.size() + (int) results.stream().filter(r -> !r.passed()).count();
        }
    }

    /** @return the number of failed scenarios */
    public static int run(PolicyEngine engine, List<Path> paths, PrintStream out, boolean verbose) {
        return run(engine, false, paths, out, verbose);
    }

    /**
     * @param bundled also (first) replay the suite bundled in the build ({@link ScenarioReader#bundled()})
     * @return the number of failed scenarios
     */
    public static int run(PolicyEngine engine, boolean bundled, List<Path> paths, PrintStream out, boolean verbose) {
        return run(engine, bundled, paths, out, verbose, (done, total) -> { }).failed();
    }

    /** As above; {@code progress} hears (scenarios done, scenarios in all) after each scenario. */
    public static Outcome run(PolicyEngine engine, boolean bundled, List<Path> paths, PrintStream out,
                              boolean verbose, BiConsumer<Integer, Integer> progress) {
        ScenarioRunner runner = new ScenarioRunner(engine, verbose);
        List<String> sources = new ArrayList<>();
        List<String> unusable = new ArrayList<>();
        List<Supplier<ScenarioRunner.Result>> scenarios = new ArrayList<>();
        if (bundled) {
            try {
                List<ScenarioReader.Bundled> suite = ScenarioReader.bundled();
                sources.add(suite.size() + " from the bundled suite (" + ScenarioReader.BUNDLED_NAME + ")");
                if (suite.isEmpty()) {
                    unusable.add("the bundled scenario suite is empty: this build has no "
                            + ScenarioReader.BUNDLED_NAME + "**/*.yaml");
                }
                suite.forEach(s -> scenarios.add(() -> runner.run(s.name(), () -> ScenarioReader.read(s))));
            } catch (ScenarioException e) {
                unusable.add(e.getMessage());
            }
        }
        for (Path path : paths) {
            try {
                List<Path> files = ScenarioReader.files(List.of(path));
                sources.add(files.size() + " from " + path);
                if (files.isEmpty()) {
                    unusable.add("no scenario files in " + path);
                }
                files.forEach(f -> scenarios.add(() -> runner.run(f)));
            } catch (ScenarioException e) {
                unusable.add(e.getMessage());
            }
        }
        if (sources.isEmpty() && unusable.isEmpty()) {
            unusable.add("no scenarios to replay");
        }
        out.println("scenarios: " + (sources.isEmpty() ? "none" : String.join(", ", sources)));
        unusable.forEach(why -> out.println("FAIL " + why));
        int passed = 0;
        int failed = unusable.size();
        List<ScenarioRunner.Result> results = new ArrayList<>();
        for (Supplier<ScenarioRunner.Result> scenario : scenarios) {
            ScenarioRunner.Result r = scenario.get();
            results.add(r);
            progress.accept(results.size(), scenarios.size());
            if (r.passed()) {
                passed++;
                if (verbose) {
                    out.println("PASS " + r.file() + ": " + r.name());
                    r.explanations().forEach(line -> out.println("  " + line));
                }
            } else {
                failed++;
                out.println("FAIL " + r.file() + ": " + r.name());
                r.failures().forEach(line -> out.println("  " + line));
                if (verbose) {
                    r.explanations().forEach(line -> out.println("  " + line));
                }
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return new Outcome(List.copyOf(results), List.copyOf(unusable));
    }
}

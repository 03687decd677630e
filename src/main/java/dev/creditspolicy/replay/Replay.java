package dev.creditspolicy.replay;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import dev.creditspolicy.policy.PolicyEngine;

/** Replays files and folders and prints the report: every failing step, then "N passed, N failed". */
public final class Replay {
    private Replay() {
    }

    /** @return the number of failed scenarios */
    public static int run(PolicyEngine engine, List<Path> paths, PrintStream out, boolean verbose) {
        ScenarioRunner runner = new ScenarioRunner(engine);
        int passed = 0;
        int failed = 0;
        List<Path> files;
        try {
            files = ScenarioReader.files(paths);
        } catch (ScenarioException e) {
            out.println("FAIL " + e.getMessage());
            out.println("0 passed, 1 failed");
            return 1;
        }
        for (Path file : files) {
            ScenarioRunner.Result r = runner.run(file);
            if (r.passed()) {
                passed++;
                if (verbose) {
                    out.println("PASS " + r.file() + ": " + r.name());
                }
            } else {
                failed++;
                out.println("FAIL " + r.file() + ": " + r.name());
                r.failures().forEach(line -> out.println("  " + line));
            }
        }
        if (files.isEmpty()) {
            out.println("FAIL no scenario files in " + paths);
            failed++;
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed;
    }
}

package dev.creditspolicy.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RulesInvalidException;
import dev.creditspolicy.replay.Replay;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays scenario files or folders, each on a fresh in-memory database. "
                + "Prints every failing step and 'N passed, N failed'; exits 1 on any failure.",
                "With no PATH it replays the suite bundled in this jar (src/test/scenarios as built), from any "
                + "working directory; --with-bundled replays it beside the PATHs. A folder without scenarios fails."})
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--rules", description = "rules folder to replay against (default: ${DEFAULT-VALUE})",
            defaultValue = "rules")
    Path rules;

    @Option(names = {"-v", "--verbose"}, description = "also list the scenarios that pass, and explain every usage and evaluate step: each lot of the "
            + "account, why it was or was not drawn, and the rule that decided it")
    boolean verbose;

    @Option(names = "--with-bundled", description = "with PATHs: replay the bundled suite as well")
    boolean withBundled;

    @Option(names = "--junit-xml", paramLabel = "FILE", description = "also write the outcome as a JUnit XML "
            + "report (one test case per scenario)")
    Path junitXml;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "scenario files (.yaml) or folders "
            + "(default: the bundled suite)")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
        PolicyEngine engine;
        try {
            engine = PolicyEngine.load(rules, Clock.systemUTC());
        } catch (RulesInvalidException e) {
            RulesCommand.printErrors(e, System.out);
            return 2;
        }
        List<Path> own = paths == null ? List.of() : paths;
        Replay.Outcome outcome = Replay.run(engine, own.isEmpty() || withBundled, own, System.out, verbose,
                Progress.of("replay"));
        if (junitXml != null) {
            JunitXml.write(junitXml, "replay", outcome);
        }
        return outcome.failed() == 0 ? 0 : 1;
    }
}

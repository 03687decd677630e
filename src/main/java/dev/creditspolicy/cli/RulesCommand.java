package dev.creditspolicy.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleError;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.RulesInvalidException;
import dev.creditspolicy.replay.History;
import dev.creditspolicy.replay.Impact;
import dev.creditspolicy.replay.Replay;
import dev.creditspolicy.replay.Scenario;
import dev.creditspolicy.replay.ScenarioReader;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.CreditsServices;

@Command(name = "rules", mixinStandardHelpOptions = true, description = "Tools for the rule files.",
        subcommands = {RulesCommand.Check.class, RulesCommand.ImpactCommand.class})
final class RulesCommand {
    static void printErrors(RulesInvalidException e, PrintStream out) {
        out.println("rules refused: " + e.errors().size() + " error(s)");
        for (RuleError error : e.errors()) {
            out.println("  " + error);
        }
    }

    static PolicyEngine load(Path dir) {
        return PolicyEngine.load(dir, Clock.systemUTC());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Compiles a rules folder (every error with file and line), refuses what the "
                    + "allow-list (docs/rule-files.md) does not name, then replays a scenario suite against it. "
                    + "Exit 0 = pass.",
                    "The suite is the one bundled in this jar (src/test/scenarios as built), from any working "
                    + "directory; --scenarios replays your own files instead, --with-bundled replays both. Skipping "
                    + "the suite must be asked for (--no-scenarios) and is said in the output; a suite with no "
                    + "scenario in it fails."})
    static final class Check implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "DIR", defaultValue = "rules", description = "rules folder "
                + "(default: ${DEFAULT-VALUE})")
        Path dir;

        @Option(names = "--scenarios", paramLabel = "PATH", description = "scenario file or folder to replay "
                + "INSTEAD of the bundled suite (repeatable; a folder without scenarios fails)")
        List<Path> scenarios;

        @Option(names = "--with-bundled", description = "with --scenarios: replay the bundled suite as well")
        boolean withBundled;

        @Option(names = "--no-scenarios", description = "compile and check against the allow-list only; the output "
                + "says the suite was NOT replayed")
        boolean noScenarios;

        @Option(names = "--junit-xml", paramLabel = "FILE", description = "also write the replay as a JUnit XML "
                + "report (one test case per scenario)")
        Path junitXml;

        @Override
        public Integer call() throws java.io.IOException {
            if (noScenarios && (scenarios != null || withBundled)) {
                System.err.println("--no-scenarios cannot be combined with --scenarios or --with-bundled");
                return 2;
            }
            PolicyEngine engine;
            try {
                engine = load(dir);
            } catch (RulesInvalidException e) {
                printErrors(e, System.out);
                return 1;
            }
            RuleSet rules = engine.current();
            System.out.println("rules compile: version " + rules.version() + ", " + rules.files().size()
                    + " files (" + String.join(", ", rules.files().stream().map(f -> f.name()).toList()) + ")");
            if (noScenarios) {
                System.out.println("scenario suite NOT replayed (--no-scenarios)");
                return 0;
            }
            boolean bundled = scenarios == null || withBundled;
            List<Path> own = scenarios == null ? List.of() : scenarios;
            Replay.Outcome outcome = Replay.run(engine, bundled, own, System.out, false, Progress.of("replay"));
            if (junitXml != null) {
                JunitXml.write(junitXml, "rules check " + dir, outcome);
            }
            return outcome.failed() == 0 ? 0 : 1;
        }
    }

    @Command(name = "impact", mixinStandardHelpOptions = true,
            description = "Replays the stored usage history (or scenario files) under two rule sets and reports "
                    + "every decision that would change, with totals by product and plan. Writes nothing.")
    static final class ImpactCommand implements Callable<Integer> {
        @Option(names = "--from", defaultValue = "rules", description = "serving rules (default: ${DEFAULT-VALUE})")
        Path from;

        @Option(names = "--to", required = true, description = "candidate rules folder")
        Path to;

        @Option(names = "--since", description = "only report calls with occurredAt at or after this instant")
        String since;

        @Option(names = "--account", description = "only this account")
        String account;

        @Option(names = "--scenarios", description = "replay these scenario files or folders instead of the ledger")
        List<Path> scenarios;

        @Mixin
        LedgerOptions ledger;

        enum Format { text, json }

        @Option(names = "--format", defaultValue = "text", description = "text (for people) or json (for tools); "
                + "anything else is refused")
        Format format;

        @Override
        public Integer call() {
            PolicyEngine before;
            PolicyEngine after;
            try {
                before = load(from);
                after = load(to);
            } catch (RulesInvalidException e) {
                printErrors(e, System.out);
                return 2;
            }
            Instant sinceAt = since == null ? null : Fields.parseInstant("since", since);
            List<Scenario> histories = new ArrayList<>();
            // the first line names what was read (on standard error for json, so standard output stays JSON)
            PrintStream heading = format == Format.json ? System.err : System.out;
            if (scenarios != null) {
                heading.println("impact of " + to + " against " + from + " over scenarios " + scenarios);
                for (Path file : ScenarioReader.files(scenarios)) {
                    histories.add(ScenarioReader.read(file));
                }
            } else {
                if (ledger.url == null) {
                    System.err.println("rules impact reads a ledger: name it with --db JDBC-URL (the service's "
                            + "default H2 file is --db " + LedgerOptions.SERVICE_DEFAULT + "), or replay "
                            + "--scenarios instead");
                    return 2;
                }
                heading.println("impact of " + to + " against " + from + " over the ledger " + ledger.described());
                CreditsServices services = ledger.services();
                Progress reading = Progress.of("reading accounts");
                for (String id : reading.over(account != null ? List.of(account) : services.accounts().ids())) {
                    histories.add(History.of(services, id));
                }
            }
            Impact.Report report = Impact.compare(before, after, Progress.of("comparing").over(histories), sinceAt,
                    account);
            if (format == Format.json) {
                System.out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                        .writeValueAsString(report));
            } else {
                System.out.print(Impact.text(report));
            }
            return 0;
        }
    }
}

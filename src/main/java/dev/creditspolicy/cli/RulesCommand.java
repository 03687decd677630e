package dev.creditspolicy.cli;

import java.io.PrintStream;

import picocli.CommandLine.Command;

import dev.creditspolicy.policy.RuleError;
import dev.creditspolicy.policy.RulesInvalidException;

@Command(name = "rules", mixinStandardHelpOptions = true, description = "Tools for the rule files.")
final class RulesCommand {

    static void printErrors(RulesInvalidException e, PrintStream out) {
        out.println("rules refused: " + e.errors().size() + " error(s)");
        for (RuleError error : e.errors()) {
            out.println("  " + error);
        }
    }
}

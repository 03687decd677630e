package dev.creditspolicy.cli;

import java.util.Arrays;
import java.util.Set;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import dev.creditspolicy.CreditsPolicyApplication;

/**
 * One jar, several tools: with no command (or {@code serve}) it runs the HTTP service; {@code replay},
 * {@code record} and {@code rules} are command-line tools that exit with a status code.
 */
public final class Main {
    private static final Set<String> TOOLS = Set.of("replay", "record", "rules", "usage", "help", "--help", "-h");

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || !TOOLS.contains(args[0])) {
            String[] rest = args.length > 0 && args[0].equals("serve") ? Arrays.copyOfRange(args, 1, args.length) : args;
            CreditsPolicyApplication.main(rest);
            return;
        }
        System.exit(run(args));
    }

    /** Runs a tool and returns its exit code (tests call this rather than {@link #main}). */
    public static int run(String... args) {
        quietLogging();
        return new CommandLine(new Tools()).execute(args);
    }

    /** The tools print their own report; libraries speak only when something is wrong. */
    private static void quietLogging() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.WARN);
        }
    }

    @CommandLine.Command(name = "credits-policy", mixinStandardHelpOptions = true,
            description = "Credits policy service and tools. With no command, runs the HTTP service.",
            subcommands = {ReplayCommand.class, RecordCommand.class, RulesCommand.class, UsageCommand.class,
                    CommandLine.HelpCommand.class})
    static final class Tools {
    }
}

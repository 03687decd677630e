package dev.creditspolicy.cli;

import java.util.Arrays;
import java.util.List;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import dev.creditspolicy.CreditsPolicyApplication;

/**
 * One jar, several tools: with no command (or {@code serve}) it runs the HTTP service; {@code replay},
 * {@code record}, {@code rules} and {@code usage} are command-line tools that exit with a status code. Any other
 * word, and any option that is not a Spring setting ({@code --name=value}), exits 2 with the list of commands.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (serves(args)) {
            String[] rest = args.length > 0 && args[0].equals("serve") ? Arrays.copyOfRange(args, 1, args.length) : args;
            CreditsPolicyApplication.main(rest);
            return;
        }
        System.exit(run(args));
    }

    /**
     * The service runs with no argument, after {@code serve}, or when the first argument is a Spring setting
     * ({@code --server.port=9000}: the README's first command and the jar tests start it so).
     */
    static boolean serves(String... args) {
        return args.length == 0 || args[0].equals("serve") || args[0].startsWith("--") && args[0].contains("=");
    }

    /** Runs a tool and returns its exit code (tests call this rather than {@link #main}). */
    public static int run(String... args) {
        quietLogging();
        return new CommandLine(new Tools()).setParameterExceptionHandler(Main::refuse).execute(args);
    }

    /** A command line not understood: the reason, a suggestion if one is close, and always the usage; exit 2. */
    private static int refuse(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println(e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, command.getErr());
        command.usage(command.getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** The tools print their own report; libraries speak only when something is wrong. */
    private static void quietLogging() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.WARN);
        }
    }

    @Command(name = "credits-policy", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Credits policy service and tools. With no command, runs the HTTP service.",
            subcommands = {Serve.class, ReplayCommand.class, RecordCommand.class, RulesCommand.class,
                    UsageCommand.class, CommandLine.HelpCommand.class})
    static final class Tools {
    }

    /** Listed with the tools; {@link #main} starts the service before picocli sees the arguments. */
    @Command(name = "serve", description = "Runs the HTTP service (the same as no command). Spring settings pass "
            + "through, e.g. serve --server.port=9000 --credits.rules-dir=rules.")
    static final class Serve implements Runnable {
        @Parameters(arity = "0..*", paramLabel = "SETTING", description = "Spring settings, --name=value")
        List<String> settings;

        @Override
        public void run() {
            CreditsPolicyApplication.main(settings == null ? new String[0] : settings.toArray(String[]::new));
        }
    }
}

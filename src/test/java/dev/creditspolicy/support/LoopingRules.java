package dev.creditspolicy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Rules that keep re-activating: what the evaluation budget must contain (issue 12). */
public final class LoopingRules {
    /** Loops only on a lot holding more than 50 credits, so the self-check's sample lot (1 credit) passes. */
    public static final String ON_BIG_LOTS = """

            rule "Touch a big lot again and again"
            when
                $lot : Lot( remaining > 50 )
            then
                update($lot);
            end
            """;
    public static final String ON_BIG_LOTS_RULE = "Touch a big lot again and again";

    /** Loops on every call: the self-check meets it. */
    public static final String ON_EVERY_CALL = """

            rule "Touch the call again and again"
            when
                $call : UsageCall()
            then
                update($call);
            end
            """;
    public static final String ON_EVERY_CALL_RULE = "Touch the call again and again";

    private LoopingRules() {
    }

    /** A copy of the repository's rules with {@code rule} appended to sharing.drl. */
    public static Path withRule(Path dir, String rule) {
        try {
            Path rules = TestServices.copyOfRules(dir);
            Files.writeString(rules.resolve("sharing.drl"), rule, StandardOpenOption.APPEND);
            return rules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

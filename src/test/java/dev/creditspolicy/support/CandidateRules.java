package dev.creditspolicy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Rules an analyst might write, appended to a copy of the repository's rules by tests. */
public final class CandidateRules {
    /**
     * An analyst's corrections.drl candidate: credits reversed to a lot expired since are forfeited (the default rule
     * then restores only the lots not expired). Applied with {@link #forfeitReversalsToExpiredLots}.
     */
    public static final String FORFEIT_TO_EXPIRED = """

            rule "Credits reversed to a lot expired since are forfeited"
            when
                $a : ReturnedAllocation( lotExpired )
            then
                insert(new ReturnTreatment($a.getLotId(), ReturnPolicy.FORFEIT));
            end
            """;

    /** Rewrites the copy's corrections.drl into the {@link #FORFEIT_TO_EXPIRED} candidate. */
    public static void forfeitReversalsToExpiredLots(Path rules) {
        Path drl = rules.resolve("corrections.drl");
        try {
            Files.writeString(drl, Files.readString(drl).replace("$a : ReturnedAllocation()",
                    "$a : ReturnedAllocation( !lotExpired )") + FORFEIT_TO_EXPIRED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The README's analyst walk-through rule: enterprise tiers open to IDE and JetBrains from a date. */
    public static final String ENTERPRISE_IDE = """

            rule "Enterprise tiers share credits with IDE and JetBrains from 2026-07-01T00:00+08:00"
            when
                Draw( tier == Tier.ENTERPRISE, product in (Product.IDE, Product.JETBRAINS),
                      at >= Instants.at("2026-07-01T00:00+08:00") )
            then
                insert(new SharedWithProduct());
            end
            """;

    // ---- rules that keep re-activating: what the evaluation budget must contain (issue 12)

    /** Loops only on a lot holding more than 50 credits, so the self-check's sample lot (1 credit) passes. */
    public static final String LOOP_ON_BIG_LOTS = """

            rule "Touch a big lot again and again"
            when
                $lot : Lot( remaining > 50 )
            then
                update($lot);
            end
            """;
    public static final String LOOP_ON_BIG_LOTS_RULE = "Touch a big lot again and again";

    /** Loops on every call: the self-check meets it. */
    public static final String LOOP_ON_EVERY_CALL = """

            rule "Touch the call again and again"
            when
                $call : UsageCall()
            then
                update($call);
            end
            """;
    public static final String LOOP_ON_EVERY_CALL_RULE = "Touch the call again and again";

    private CandidateRules() {
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

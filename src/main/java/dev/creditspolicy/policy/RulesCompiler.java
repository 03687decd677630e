package dev.creditspolicy.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.kie.api.KieBase;

import dev.creditspolicy.policy.facts.PriceTable;

/**
 * Reads a rules folder and compiles it into a {@link RuleSet}, or says exactly where it is wrong: the files are
 * checked against the allow-list ({@link RuleChecker}), built into a KieBase, and the result must pass the self-check,
 * within {@link #SELF_CHECK_LIMIT}, before it may serve.
 */
public final class RulesCompiler {
    /** How long the self-check of a candidate may take before the candidate is refused (docs/rule-files.md). */
    public static final Duration SELF_CHECK_LIMIT = Duration.ofSeconds(30);

    private RulesCompiler() {
    }

    /** The rule files of a folder (.drl, and .csv decision tables), sorted by name, with their hashes. */
    public static List<RuleFile> read(Path dir) {
        return RuleFolder.read(dir);
    }

    /** The rules version: a hash of every file's name and content, so equal folders give equal versions. */
    public static String version(List<RuleFile> files) {
        return RuleFolder.version(files);
    }

    /** @throws RulesInvalidException with file, line and rule of every mistake; nothing is built then */
    public static RuleSet compile(List<RuleFile> files, Instant loadedAt) {
        return compile(files, loadedAt, EvaluationBudget.DEFAULT);
    }

    /** The same, each evaluation of the rule set held to {@code budget} (the self-check's to its firing limits). */
    public static RuleSet compile(List<RuleFile> files, Instant loadedAt, EvaluationBudget budget) {
        return compile(files, loadedAt, budget, SELF_CHECK_LIMIT);
    }

    static RuleSet compile(List<RuleFile> files, Instant loadedAt, EvaluationBudget budget, Duration selfCheckLimit) {
        try {
            return compileExpanded(files, loadedAt, budget, selfCheckLimit);
        } catch (RulesInvalidException e) {
            // a mistake in a decision table's generated DRL is named by the table's file and the row's line
            throw new RulesInvalidException(DecisionTables.inTables(e.errors(), files), e.files());
        }
    }

    private static RuleSet compileExpanded(List<RuleFile> files, Instant loadedAt, EvaluationBudget budget,
                                           Duration selfCheckLimit) {
        String version = version(files);
        List<RuleFile> sources = DecisionTables.expand(files);
        List<RuleError> refused = new ArrayList<>();
        List<RuleError> unreadable = new ArrayList<>();
        for (RuleFile f : sources) {
            RuleChecker.Verdict verdict = RuleChecker.check(f);
            refused.addAll(verdict.refused());
            unreadable.addAll(verdict.unreadable());
        }
        PriceTable prices = PriceTable.EMPTY;
        try {
            prices = PriceTables.of(files);
        } catch (RulesInvalidException e) {
            refused.addAll(e.errors());
        }
        if (!refused.isEmpty()) {
            throw new RulesInvalidException(refused);
        }
        // what the checker could not read, the compiler cannot either (the same DRL parser): it says where. Building
        // runs none of the rules' code; a file it builds that the checker could not read is refused all the same
        KieBase kieBase = KieBases.build(version, sources);
        if (!unreadable.isEmpty()) {
            throw new RulesInvalidException(unreadable);
        }
        // each evaluation of the self-check is held to the firing limits only: its first calls run on a cold JVM, and
        // on a loaded machine a per-evaluation time limit would refuse a sound rule set (seen: 2.7 s for one firing at
        // start, load 16); the whole self-check is held to selfCheckLimit
        selfCheck(new RuleSet(version, files, loadedAt, kieBase, prices, budget.firingsOnly()), sources,
                selfCheckLimit);
        return new RuleSet(version, files, loadedAt, kieBase, prices, budget);
    }

    /**
     * Runs the self-check on a thread of its own, so that a candidate that does not finish in time is refused and the
     * reload returns; the abandoned thread ends at its evaluation's firing limit (a rule file has no loop).
     */
    private static void selfCheck(RuleSet candidate, List<RuleFile> sources, Duration limit) {
        FutureTask<Void> task = new FutureTask<>(() -> {
            SelfCheck.run(candidate, sources);
            return null;
        });
        Thread thread = new Thread(task, "rules-self-check");
        thread.setDaemon(true);
        thread.start();
        try {
            task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw SelfCheck.refusal("the self-check did not finish within " + limit.toSeconds() + " s ("
                    + RulesBudgetExceeded.SLUG + "): the candidate is refused; the serving rules are unchanged");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RulesInvalidException refusal) {
                throw refusal;
            }
            // an Error (a stack overflow, say): named by its class only, never by its text
            throw SelfCheck.refusal("the rules compile but fail on a sample call: "
                    + e.getCause().getClass().getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SelfCheck.refusal("the self-check was interrupted");
        }
    }
}

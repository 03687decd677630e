package dev.creditspolicy.policy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.kie.api.KieBase;

import dev.creditspolicy.policy.facts.PriceTable;

/**
 * Reads a rules folder and compiles it into a {@link RuleSet}, or says exactly where it is wrong: the files are
 * checked by the sandbox, built into a KieBase, and the result must pass the self-check before it may serve.
 */
public final class RulesCompiler {
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
        try {
            return compileExpanded(files, loadedAt, budget);
        } catch (RulesInvalidException e) {
            // a mistake in a decision table's generated DRL is named by the table's file and the row's line
            throw new RulesInvalidException(DecisionTables.inTables(e.errors(), files), e.files());
        }
    }

    private static RuleSet compileExpanded(List<RuleFile> files, Instant loadedAt, EvaluationBudget budget) {
        String version = version(files);
        List<RuleFile> sources = DecisionTables.expand(files);
        List<RuleError> refused = new ArrayList<>();
        sources.forEach(f -> refused.addAll(RuleSandbox.check(f)));
        PriceTable prices = PriceTable.EMPTY;
        try {
            prices = PriceTables.of(files);
        } catch (RulesInvalidException e) {
            refused.addAll(e.errors());
        }
        if (!refused.isEmpty()) {
            throw new RulesInvalidException(refused);
        }
        KieBase kieBase = KieBases.build(version, sources);
        // the self-check is held to the firing limits only: its first calls run on a cold JVM, and on a loaded
        // machine a time limit would refuse a sound rule set (seen: 2.7 s for one firing at start, load 16)
        SelfCheck.run(new RuleSet(version, files, loadedAt, kieBase, prices, budget.firingsOnly()), sources);
        return new RuleSet(version, files, loadedAt, kieBase, prices, budget);
    }
}

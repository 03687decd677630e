package dev.creditspolicy.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serves the current rule set of a folder and swaps it atomically on reload. A caller takes {@link #current()} once
 * and evaluates a whole request under that version; a reload that fails leaves the current version serving. Reloads
 * run one at a time; evaluations never wait for one.
 */
public final class PolicyEngine {
    /** How long a reload waits for the one under way before it is refused as busy (docs/rule-files.md). */
    public static final Duration RELOAD_WAIT = Duration.ofSeconds(5);

    /** A reload refused because another was under way for longer than {@link #RELOAD_WAIT}; nothing changed. */
    public static final class ReloadBusy extends RuntimeException {
        ReloadBusy() {
            super("another rules reload is under way; nothing was changed, the serving rules keep serving: retry it");
        }
    }

    /** Held by the reload under way (package-private: a test holds it as a reload would). */
    final ReentrantLock reloading = new ReentrantLock();
    private final Path rulesDir;
    private final Clock clock;
    private final AtomicReference<RuleSet> current = new AtomicReference<>();
    private final EvaluationBudget budget;
    /** Budgets spent by rule sets no longer serving (the metric counts every version). */
    private final AtomicLong budgetsExceededBefore = new AtomicLong();

    public PolicyEngine(Path rulesDir, Clock clock) {
        this(rulesDir, clock, EvaluationBudget.DEFAULT);
    }

    public PolicyEngine(Path rulesDir, Clock clock, EvaluationBudget budget) {
        this.rulesDir = rulesDir;
        this.clock = clock;
        this.budget = budget;
    }

    /** Evaluations that spent their budget, over every rule set this engine served. */
    public long budgetsExceeded() {
        RuleSet rules = current.get();
        return budgetsExceededBefore.get() + (rules == null ? 0 : rules.budgetsExceeded());
    }

    /** Loads a folder once, for tools that never reload (replay, tests). */
    public static PolicyEngine load(Path rulesDir, Clock clock) {
        PolicyEngine engine = new PolicyEngine(rulesDir, clock);
        engine.reload();
        return engine;
    }

    /** The version a folder's rules would load as (its files hashed, nothing compiled). */
    public static String versionOf(Path rulesDir) {
        return RuleFolder.version(RuleFolder.read(rulesDir));
    }

    public Path rulesDir() {
        return rulesDir;
    }

    public RuleSet current() {
        RuleSet rules = current.get();
        if (rules == null) {
            throw new IllegalStateException("no rules loaded from " + rulesDir);
        }
        return rules;
    }

    public boolean isLoaded() {
        return current.get() != null;
    }

    /** Outcome of a reload: the version now serving and whether it changed. */
    public record Reload(RuleSet rules, boolean changed) {
    }

    /**
     * Recompiles the folder unless its content hash equals the serving version. One reload at a time: a second waits
     * for the first up to {@link #RELOAD_WAIT}; the first is bounded by the self-check's limit
     * ({@link RulesCompiler#SELF_CHECK_LIMIT}).
     * @throws RulesInvalidException with file and line when the folder does not compile; nothing is swapped
     * @throws ReloadBusy when another reload is still under way after {@link #RELOAD_WAIT}
     */
    public Reload reload() {
        try {
            if (!reloading.tryLock(RELOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ReloadBusy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReloadBusy();
        }
        try {
            return reloadAlone();
        } finally {
            reloading.unlock();
        }
    }

    private Reload reloadAlone() {
        List<RuleFile> files = RulesCompiler.read(rulesDir);
        RuleSet serving = current.get();
        if (serving != null && serving.version().equals(RulesCompiler.version(files))) {
            return new Reload(serving, false);
        }
        RuleSet fresh;
        try {
            fresh = RulesCompiler.compile(files, clock.instant(), budget);
        } catch (RulesInvalidException e) {
            throw e.withFiles(files);
        }
        if (serving != null) {
            budgetsExceededBefore.addAndGet(serving.budgetsExceeded());
        }
        current.set(fresh);
        return new Reload(fresh, true);
    }
}

package dev.creditspolicy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.RulesCompiler;

/**
 * Building the KieBase of rules/ (read + executable-model build + self-check, as at start), cold in a fresh JVM
 * and again in a warm one, and {@code PolicyEngine.reload()} after a rule file's content changed.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RulesBuildBench {

    /** First build in a fresh JVM: what a start pays. Each fork measures one build. */
    @Benchmark
    @Fork(2)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public RuleSet coldBuild() {
        return RulesCompiler.compile(RulesCompiler.read(rulesDir()), Instant.now());
    }

    /** A build in a JVM that has built before (classes loaded, JIT warm). */
    @Benchmark
    @Fork(1)
    @Warmup(iterations = 3)
    @Measurement(iterations = 5)
    public RuleSet warmBuild() {
        return RulesCompiler.compile(RulesCompiler.read(rulesDir()), Instant.now());
    }

    @State(Scope.Thread)
    public static class Folder {
        Path dir;
        PolicyEngine engine;
        int edits;

        @Setup(Level.Trial)
        public void copy() throws IOException {
            dir = Files.createTempDirectory("credits-bench-rules");
            try (Stream<Path> files = Files.list(rulesDir())) {
                for (Path p : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                    Files.copy(p, dir.resolve(p.getFileName()));
                }
            }
            engine = PolicyEngine.load(dir, Clock.systemUTC());
        }

        /** An analyst's edit: the content (so the version) changes, the rules stay valid. */
        @Setup(Level.Invocation)
        public void edit() throws IOException {
            Path f = dir.resolve("priority.drl");
            Files.writeString(f, Files.readString(f) + "\n// edit " + (++edits) + "\n");
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** PolicyEngine.reload after a content change: read, compile, self-check, swap. */
    @Benchmark
    @Fork(1)
    @Warmup(iterations = 3)
    @Measurement(iterations = 5)
    public boolean reload(Folder folder) {
        PolicyEngine.Reload r = folder.engine.reload();
        if (!r.changed()) {
            throw new IllegalStateException("reload did not see the edit");
        }
        return r.changed();
    }

    static Path rulesDir() {
        return Path.of(System.getProperty(EvaluationBench.RULES_PROPERTY, "rules"));
    }
}

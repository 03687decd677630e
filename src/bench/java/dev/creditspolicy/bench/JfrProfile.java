package dev.creditspolicy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads the service's flight recording: CPU samples (jdk.ExecutionSample) of the request threads (Tomcat's
 * http-nio-*-exec-*) and of the usage writers (usage-writer-*, which run the batches) within a time window, each attributed to the first non-JDK frame from the top of its stack
 * (so BigDecimal arithmetic called by Drools counts as Drools), plus the hottest leaf methods. Samples of threads
 * blocked in native code (socket reads: waiting for the database) are counted apart.
 */
final class JfrProfile {
    private JfrProfile() {
    }

    record Window(String label, Instant from, Instant to) {
    }

    private static final String[][] SUBSYSTEMS = {
            {"org.drools.", "Drools engine"}, {"org.kie.", "Drools engine"},
            {"creditspolicy.rules.", "Drools engine (generated rule code)"},
            {"dev.creditspolicy.policy.", "RuleSet / facts (policy glue)"},
            {"dev.creditspolicy.ledger.", "Deduction (ledger arithmetic)"},
            {"dev.creditspolicy.service.", "UsageService / Commands / Hashes"},
            {"dev.creditspolicy.store.", "store (DAOs, Store)"},
            {"dev.creditspolicy.api.", "controllers"},
            {"dev.creditspolicy.bench.", "baseline (hand-written JDBC)"},
            {"org.jdbi.", "JDBI"},
            {"org.postgresql.", "PostgreSQL JDBC driver"},
            {"org.h2.", "H2 (embedded database)"},
            {"com.zaxxer.", "HikariCP"},
            {"tools.jackson.", "Jackson"}, {"com.fasterxml.", "Jackson"},
            {"org.apache.", "Tomcat"},
            {"org.springframework.", "Spring MVC / framework"},
            {"io.micrometer.", "Micrometer"},
            {"ch.qos.", "logging"}, {"org.slf4j.", "logging"},
    };

    /** Methods whose inclusive share (samples with the method anywhere on the stack) the report shows. */
    private static final String[][] INCLUSIVE = {
            {"dev.creditspolicy.policy.RuleSet.evaluateUsage", "RuleSet.evaluateUsage (Drools session, facts, firing)"},
            {"org.jdbi.v3.core.statement.SqlStatement.internalExecute",
                    "Jdbi statement execution (the database's own time included)"},
            {"org.jdbi.v3.core.statement.ArgumentBinder.bind", "Jdbi ArgumentBinder.bind (typed arguments)"},
            {"dev.creditspolicy.bench.BaselineDeduction.withRetries", "BaselineDeduction (all of the baseline's work)"},
    };

    static Map<String, Object> analyze(Path file, List<Window> windows) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (file == null || !Files.exists(file)) {
            out.put("error", "no recording at " + file);
            return out;
        }
        Map<String, Map<String, Integer>> bySub = new HashMap<>();
        Map<String, Map<String, Integer>> byLeaf = new HashMap<>();
        Map<String, int[]> counts = new HashMap<>(); // [cpu samples, native samples]
        Map<String, Map<String, Integer>> inclusive = new HashMap<>();
        for (Window w : windows) {
            inclusive.put(w.label(), new HashMap<>());
            bySub.put(w.label(), new HashMap<>());
            byLeaf.put(w.label(), new HashMap<>());
            counts.put(w.label(), new int[2]);
        }
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                boolean cpu = type.equals("jdk.ExecutionSample");
                if (!cpu && !type.equals("jdk.NativeMethodSample")) {
                    continue;
                }
                Instant t = e.getStartTime();
                Window w = null;
                for (Window x : windows) {
                    if (!t.isBefore(x.from()) && t.isBefore(x.to())) {
                        w = x;
                        break;
                    }
                }
                if (w == null) {
                    continue;
                }
                RecordedThread th = e.getThread("sampledThread");
                String name = th == null ? "" : String.valueOf(th.getJavaName());
                // the request threads, and the usage writers that decide and store their batches (issue 17)
                if (!(name.startsWith("http-nio-") && name.contains("exec")) && !name.startsWith("usage-writer-")) {
                    continue;
                }
                if (!cpu) {
                    counts.get(w.label())[1]++;
                    continue;
                }
                counts.get(w.label())[0]++;
                RecordedStackTrace st = e.getStackTrace();
                String sub = "JDK only";
                String leaf = "?";
                if (st != null && !st.getFrames().isEmpty()) {
                    List<RecordedFrame> frames = st.getFrames();
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    for (RecordedFrame f : frames) {
                        String m = f.getMethod().getType().getName() + "." + f.getMethod().getName();
                        for (String[] inc : INCLUSIVE) {
                            if (inc[0].equals(m) && seen.add(inc[1])) {
                                inclusive.get(w.label()).merge(inc[1], 1, Integer::sum);
                            }
                        }
                    }
                    leaf = frames.get(0).getMethod().getType().getName() + "." + frames.get(0).getMethod().getName();
                    outer:
                    for (RecordedFrame f : frames) {
                        String cls = f.getMethod().getType().getName();
                        if (cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.")
                                || cls.startsWith("javax.")) {
                            continue;
                        }
                        for (String[] s : SUBSYSTEMS) {
                            if (cls.startsWith(s[0])) {
                                sub = s[1];
                                break outer;
                            }
                        }
                        sub = "other: " + (cls.lastIndexOf('.') > 0 ? cls.substring(0, cls.lastIndexOf('.')) : cls);
                        break;
                    }
                }
                bySub.get(w.label()).merge(sub, 1, Integer::sum);
                byLeaf.get(w.label()).merge(leaf, 1, Integer::sum);
            }
        }
        for (Window w : windows) {
            Map<String, Object> m = new LinkedHashMap<>();
            int cpuSamples = counts.get(w.label())[0];
            m.put("cpuSamples", cpuSamples);
            m.put("nativeSamples", counts.get(w.label())[1]);
            m.put("bySubsystemPercent", top(bySub.get(w.label()), cpuSamples, 14));
            m.put("topLeafMethodsPercent", top(byLeaf.get(w.label()), cpuSamples, 12));
            m.put("inclusivePercent", top(inclusive.get(w.label()), cpuSamples, INCLUSIVE.length));
            out.put(w.label(), m);
        }
        return out;
    }

    private static Map<String, Double> top(Map<String, Integer> counts, int total, int n) {
        Map<String, Double> m = new LinkedHashMap<>();
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
                .forEach(e -> m.put(e.getKey(), total == 0 ? 0.0 : LoadGenerator.round(100.0 * e.getValue() / total, 1)));
        return m;
    }
}

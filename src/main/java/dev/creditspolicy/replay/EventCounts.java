package dev.creditspolicy.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.creditspolicy.events.EventLog;
import dev.creditspolicy.events.StoredEvent;
import dev.creditspolicy.policy.facts.EventType;

/**
 * For {@code rules impact}: how many events (alerts.drl) the serving rules and the candidate raise over the replayed
 * history, by type. Counted while each replay's database is there, after every step.
 */
public record EventCounts(Map<String, Long> before, Map<String, Long> after) {

    static EventCounts empty() {
        return new EventCounts(new TreeMap<>(), new TreeMap<>());
    }

    /** An observer that counts the events each step raised into {@code counts}, then lets {@code then} observe. */
    static ScenarioRunner.Observer counting(Map<String, Long> counts, ScenarioRunner.Observer then) {
        long[] seen = {0};
        return (o, services) -> {
            for (StoredEvent e : new EventLog(services.store()).since(seen[0])) {
                seen[0] = Math.max(seen[0], e.seq());
                counts.merge(e.type(), 1L, Long::sum);
            }
            then.after(o, services);
        };
    }

    /** One line per type that either side raised: {@code balance.low 12 -> 15 (+3)}. */
    String text() {
        List<String> lines = new ArrayList<>();
        for (EventType t : EventType.values()) {
            long a = before.getOrDefault(t.wire(), 0L);
            long b = after.getOrDefault(t.wire(), 0L);
            if (a != 0 || b != 0) {
                lines.add("  " + t.wire() + " " + a + " -> " + b + (a == b ? "" : " (" + (b > a ? "+" : "")
                        + (b - a) + ")"));
            }
        }
        return "Events raised: " + (lines.isEmpty() ? "none\n" : "\n" + String.join("\n", lines) + "\n");
    }
}

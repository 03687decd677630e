package dev.creditspolicy.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

import dev.creditspolicy.policy.facts.Explanation;

/**
 * Which rules a decision lists as fired, recorded by listeners on one session. Truth maintenance may withdraw a
 * logical conclusion after its rule fired (the "not shared with the product" verdict, once a lot turns out eligible):
 * that rule decided nothing and is not listed. So a rule counts when it fired and either inserted nothing or still
 * has an insertion in the session at the end; one whose remaining insertions are all {@link Explanation}s (explain
 * mode) explains the decision rather than making it, and is not listed either.
 */
final class FiredRules {
    private final Set<String> fired = new TreeSet<>();
    private final Map<String, List<ObjectInsertedEvent>> insertedBy = new HashMap<>();
    private final Set<FactHandle> deleted = Collections.newSetFromMap(new IdentityHashMap<>());

    private final AgendaEventListener agenda = new DefaultAgendaEventListener() {
        @Override
        public void afterMatchFired(AfterMatchFiredEvent event) {
            fired.add(event.getMatch().getRule().getName());
        }
    };

    private final RuleRuntimeEventListener runtime = new DefaultRuleRuntimeEventListener() {
        @Override
        public void objectInserted(ObjectInsertedEvent event) {
            if (event.getRule() != null) {
                insertedBy.computeIfAbsent(event.getRule().getName(), r -> new ArrayList<>()).add(event);
            }
        }

        @Override
        public void objectDeleted(ObjectDeletedEvent event) {
            deleted.add(event.getFactHandle());
        }
    };

    void listenTo(KieSession session) {
        session.addEventListener(agenda);
        session.addEventListener(runtime);
    }

    void stopListening(KieSession session) {
        session.removeEventListener(agenda);
        session.removeEventListener(runtime);
    }

    /** The rules that decided, sorted by name (so replays compare byte for byte). */
    List<String> decided() {
        List<String> decided = new ArrayList<>();
        for (String rule : fired) {
            List<ObjectInsertedEvent> inserted = insertedBy.getOrDefault(rule, List.of());
            List<Object> surviving = inserted.stream().filter(e -> !deleted.contains(e.getFactHandle()))
                    .map(ObjectInsertedEvent::getObject).toList();
            if (inserted.isEmpty()
                    || surviving.stream().anyMatch(o -> !(o instanceof Explanation))) {
                decided.add(rule);
            }
        }
        return List.copyOf(decided);
    }
}

package dev.creditspolicy.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import dev.creditspolicy.policy.facts.Raise;

/** The question alerts.drl answers after every change of an account: which events does it raise? */
public final class AlertRules {
    private AlertRules() {
    }

    /** What the rules raised, with the rules that fired. */
    public record Alerts(List<Raise> raised, List<String> firedRules) {
    }

    /**
     * The events the rules raise for these facts of one change (one AccountState, its BalanceChanges, ExpiringLots
     * and what the change did), in a stable order (type, then subject) so replays raise them alike.
     */
    public static Alerts evaluate(RuleSet rules, Collection<?> facts) {
        RuleSet.Firing firing = rules.fire(facts);
        List<Raise> raised = new ArrayList<>(firing.all(Raise.class));
        raised.sort(Comparator.comparing((Raise r) -> r.type()).thenComparing(r -> r.about().subject()));
        return new Alerts(List.copyOf(raised), firing.firedRules());
    }
}

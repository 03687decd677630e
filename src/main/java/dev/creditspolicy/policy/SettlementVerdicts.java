package dev.creditspolicy.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.creditspolicy.policy.facts.ExcessPolicy;
import dev.creditspolicy.policy.facts.ExcessTreatment;
import dev.creditspolicy.policy.facts.HoldExcess;
import dev.creditspolicy.policy.facts.HoldsOnVoid;
import dev.creditspolicy.policy.facts.LotVoid;
import dev.creditspolicy.policy.facts.ReturnPolicy;
import dev.creditspolicy.policy.facts.ReturnTreatment;
import dev.creditspolicy.policy.facts.ReturnedAllocation;
import dev.creditspolicy.policy.facts.VoidTreatment;

/**
 * What the rules conclude when credits already reserved or charged are settled or corrected: a commit's excess over
 * its hold (holds.drl), a void's open holds and a reversal's allocations (corrections.drl). Each question must get
 * exactly one treatment; a rule set that concludes none or two is a broken rule set, not a refusal.
 */
public final class SettlementVerdicts {
    private SettlementVerdicts() {
    }

    /** What holds.drl concludes for a commit's excess over its hold, with the rules that fired. */
    public record ExcessVerdict(ExcessPolicy policy, List<String> firedRules) {
    }

    /** What a commit does with its cost beyond the hold (holds.drl); exactly one treatment must be concluded. */
    static ExcessVerdict excess(RuleSet.Firing firing, HoldExcess excess) {
        List<ExcessTreatment> found = firing.all(ExcessTreatment.class);
        Set<ExcessPolicy> policies = new TreeSet<>();
        found.forEach(t -> policies.add(t.getPolicy()));
        if (policies.size() != 1) {
            throw new IllegalStateException("holds.drl must conclude exactly one ExcessTreatment for " + excess
                    + "; got " + policies);
        }
        return new ExcessVerdict(policies.iterator().next(), firing.firedRules());
    }

    /** What corrections.drl concludes for a void: what happens to the open holds on the lot. */
    public record VoidVerdict(HoldsOnVoid holds, String rule, List<String> firedRules) {
    }

    /** The void question (corrections.drl); exactly one treatment must be concluded. */
    static VoidVerdict onVoid(RuleSet.Firing firing, LotVoid lotVoid) {
        Set<HoldsOnVoid> found = new TreeSet<>();
        firing.all(VoidTreatment.class).forEach(t -> found.add(t.getHolds()));
        if (found.size() != 1) {
            throw new IllegalStateException("corrections.drl must conclude exactly one VoidTreatment for " + lotVoid
                    + "; got " + found);
        }
        String rule = firing.firedRules().isEmpty() ? "" : String.join("; ", firing.firedRules());
        return new VoidVerdict(found.iterator().next(), rule, firing.firedRules());
    }

    /** What corrections.drl concludes for a reversal: per lot, whether its allocation goes back. */
    public record ReversalVerdict(Map<String, ReturnPolicy> byLot, List<String> firedRules) {
    }

    /** The reversal question, one fact per allocation; exactly one treatment per lot must be concluded. */
    static ReversalVerdict reversal(RuleSet.Firing firing, List<ReturnedAllocation> allocations) {
        Map<String, Set<ReturnPolicy>> found = new HashMap<>();
        firing.all(ReturnTreatment.class).forEach(t ->
                found.computeIfAbsent(t.getLotId(), k -> new TreeSet<>()).add(t.getPolicy()));
        Map<String, ReturnPolicy> byLot = new HashMap<>();
        for (ReturnedAllocation a : allocations) {
            Set<ReturnPolicy> p = found.getOrDefault(a.getLotId(), Set.of());
            if (p.size() != 1) {
                throw new IllegalStateException("corrections.drl must conclude exactly one ReturnTreatment for "
                        + a + "; got " + p);
            }
            byLot.put(a.getLotId(), p.iterator().next());
        }
        return new ReversalVerdict(Map.copyOf(byLot), firing.firedRules());
    }
}

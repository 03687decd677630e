package dev.creditspolicy.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.kie.api.KieBase;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;

import dev.creditspolicy.policy.facts.AddonGrant;
import dev.creditspolicy.policy.facts.Conclusions;
import dev.creditspolicy.policy.facts.DeductionOrder;
import dev.creditspolicy.policy.facts.EligibleLot;
import dev.creditspolicy.policy.facts.Exemption;
import dev.creditspolicy.policy.facts.ExpiryChange;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.NotSharedWithProduct;
import dev.creditspolicy.policy.facts.OrderKey;
import dev.creditspolicy.policy.facts.PlanChange;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Refusal;
import dev.creditspolicy.policy.facts.UsageCall;

/**
 * One compiled version of the rules folder. The KieBase is built once per version and shared by all threads;
 * every evaluation gets its own session, disposed before it returns.
 */
public final class RuleSet {
    private final String version;
    private final List<RuleFile> files;
    private final Instant loadedAt;
    private final KieSessionsPool sessions;

    RuleSet(String version, List<RuleFile> files, Instant loadedAt, KieBase kieBase) {
        this.version = version;
        this.files = List.copyOf(files);
        this.loadedAt = loadedAt;
        // sessions are reset and reused rather than built per call (fewer allocations on the hot path); the pool
        // grows with the number of concurrent callers and is dropped with this version of the rules
        this.sessions = kieBase.newKieSessionsPool(Runtime.getRuntime().availableProcessors());
    }

    public String version() { return version; }
    public List<RuleFile> files() { return files; }
    public Instant loadedAt() { return loadedAt; }

    /** What the rules concluded from some facts, and which rules fired (sorted by name, so replays compare). */
    public record Firing(List<Conclusions> conclusions, List<String> firedRules) {
        public <T> List<T> all(Class<T> type) {
            List<T> found = new ArrayList<>();
            for (Conclusions c : conclusions) {
                if (type.isInstance(c)) {
                    found.add(type.cast(c));
                }
            }
            return found;
        }
    }

    /** Exemption, sharing and priority for one call; {@code lots} are the account's lots as they stand. */
    public UsageVerdict evaluateUsage(UsageCall call, Collection<Lot> lots) {
        List<Object> facts = new ArrayList<>(lots.size() + 1);
        facts.add(call);
        facts.addAll(lots);
        Firing firing = fire(facts);
        Reason exemption = firing.all(Exemption.class).stream()
                .map(Exemption::getReason).min(Comparator.naturalOrder()).orElse(null);
        List<DeductionOrder> orders = firing.all(DeductionOrder.class);
        if (orders.size() != 1 || orders.get(0).getKeys().isEmpty()
                || orders.get(0).getKeys().get(orders.get(0).getKeys().size() - 1) != OrderKey.LOT_ID) {
            throw new IllegalStateException("priority.drl must conclude exactly one DeductionOrder ending with "
                    + "OrderKey.LOT_ID; got " + orders.size());
        }
        List<Lot> eligible = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (EligibleLot e : firing.all(EligibleLot.class)) {
            if (seen.add(e.getLotId())) {
                eligible.add(e.getLot());
            }
        }
        eligible.sort(DeductionOrders.comparator(orders.get(0).getKeys()));
        boolean notShared = !firing.all(NotSharedWithProduct.class).isEmpty();
        return new UsageVerdict(exemption, notShared, List.copyOf(eligible), version, firing.firedRules());
    }

    /** The expiry changes expiry.drl concludes for a plan change. */
    public PlanChangeVerdict evaluatePlanChange(PlanChange change, Collection<Lot> lots) {
        List<Object> facts = new ArrayList<>(lots.size() + 1);
        facts.add(change);
        facts.addAll(lots);
        Firing firing = fire(facts);
        List<ExpiryChange> changes = new ArrayList<>(firing.all(ExpiryChange.class));
        changes.sort(Comparator.comparing((ExpiryChange c) -> c.getLot().getLotId())
                .thenComparing(ExpiryChange::getNewExpiresAt));
        return new PlanChangeVerdict(List.copyOf(changes), version, firing.firedRules());
    }

    /** The refusals the rules conclude for an add-on grant; empty when it may be granted. */
    public List<Refusal> evaluateGrant(AddonGrant grant) {
        List<Refusal> refusals = new ArrayList<>(fire(List.of(grant)).all(Refusal.class));
        refusals.sort(Comparator.comparing(Refusal::getProblem).thenComparing(Refusal::getMessage));
        return refusals;
    }

    Firing fire(Collection<?> facts) {
        Set<String> fired = new TreeSet<>();
        AgendaEventListener listener = new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                fired.add(event.getMatch().getRule().getName());
            }
        };
        KieSession session = sessions.newKieSession();
        try {
            session.addEventListener(listener);
            for (Object fact : facts) {
                session.insert(fact);
            }
            session.fireAllRules();
            List<Conclusions> conclusions = new ArrayList<>();
            for (Object o : session.getObjects(o -> o instanceof Conclusions)) {
                conclusions.add((Conclusions) o);
            }
            return new Firing(conclusions, List.copyOf(fired));
        } finally {
            session.removeEventListener(listener);
            session.dispose(); // a pooled session is reset and goes back to the pool
        }
    }
}

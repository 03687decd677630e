package dev.creditspolicy.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.kie.api.KieBase;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;

import dev.creditspolicy.policy.facts.AddonGrant;
import dev.creditspolicy.policy.facts.Conclusions;
import dev.creditspolicy.policy.facts.Draw;
import dev.creditspolicy.policy.facts.Exemption;
import dev.creditspolicy.policy.facts.HoldExcess;
import dev.creditspolicy.policy.facts.Explain;
import dev.creditspolicy.policy.facts.ExpiryChange;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.PlanChange;
import dev.creditspolicy.policy.facts.Price;
import dev.creditspolicy.policy.facts.PriceQuestion;
import dev.creditspolicy.policy.facts.PriceTable;
import dev.creditspolicy.policy.facts.Refusal;
import dev.creditspolicy.policy.facts.UsageCall;
import dev.creditspolicy.policy.facts.LotVoid;
import dev.creditspolicy.policy.facts.ReturnedAllocation;

/**
 * One compiled version of the rules folder. The KieBase is built once per version and shared by all threads;
 * every evaluation gets its own session, disposed before it returns.
 */
public final class RuleSet {
    private final String version;
    private final List<RuleFile> files;
    private final Instant loadedAt;
    private final KieSessionsPool sessions;
    private final PriceTable prices;
    private final EvaluationBudget budget;
    private final AtomicLong budgetsExceeded = new AtomicLong();

    RuleSet(String version, List<RuleFile> files, Instant loadedAt, KieBase kieBase, PriceTable prices,
            EvaluationBudget budget) {
        this.version = version;
        this.prices = prices;
        this.budget = budget;
        this.files = List.copyOf(files);
        this.loadedAt = loadedAt;
        // sessions are reset and reused rather than built per call (fewer allocations on the hot path); the pool
        // grows with the number of concurrent callers and is dropped with this version of the rules
        this.sessions = kieBase.newKieSessionsPool(Runtime.getRuntime().availableProcessors());
    }

    public String version() { return version; }
    public List<RuleFile> files() { return files; }
    public Instant loadedAt() { return loadedAt; }
    /** How many evaluations of this version spent their budget (a metric). */
    public long budgetsExceeded() { return budgetsExceeded.get(); }

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

    /**
     * Exemption, sharing and priority for one call; {@code lots} are the account's lots as they stand. The call
     * asks the rules two questions: whether it is charged at all (exemption.drl, about the {@link UsageCall}) and
     * which lots it may draw on, in which order (sharing.drl and priority.drl, about its {@link Draw}).
     */
    public UsageVerdict evaluateUsage(UsageCall call, Collection<Lot> lots) {
        return UsageVerdicts.verdict(fire(facts(lots, call, Draw.of(call))), version);
    }

    /**
     * The same for a call that sent its tokens instead of credits ({@code price} null: one that sent credits): the
     * call also asks what it costs (pricing.drl, of this version's price table), in the same evaluation. The verdict
     * carries the {@link Price}, or, when the table prices the call's model not at its instant, the models priced then.
     */
    public UsageVerdict evaluateUsage(UsageCall call, Collection<Lot> lots, PriceQuestion price) {
        if (price == null) {
            return evaluateUsage(call, lots);
        }
        return UsageVerdicts.priced(fire(facts(lots, call, Draw.of(call), price.in(prices))), price, version, prices);
    }

    /** What pricing.drl makes of a price question alone, asked of this version's price table; null when unpriced. */
    public Price price(PriceQuestion question) {
        return UsageVerdicts.onePrice(fire(List.of(question.in(prices))), question);
    }

    /** The models this version's price table prices at {@code at}, sorted. */
    public List<String> pricedModels(Instant at) {
        return prices.modelsAt(at);
    }

    /** The price table of this version (tables/prices.csv). */
    public PriceTable priceTable() {
        return prices;
    }

    /**
     * The balance question: the lots this product of the account may draw on at the draw's instant, in the order a
     * call would consume them; the same sharing and priority rules a call of that product at that instant meets.
     */
    public List<Lot> eligibleLots(Draw draw, Collection<Lot> lots) {
        return UsageVerdicts.eligibleInOrder(fire(facts(lots, draw)));
    }

    /**
     * The order priority.drl gives the draws of the account at the draw's instant (the forecast burns the account's
     * lots in it); {@code draw} may leave the product out, as an account-wide forecast does.
     */
    public Comparator<Lot> deductionOrder(Draw draw) {
        return UsageVerdicts.order(fire(List.of(draw)));
    }

    /**
     * As {@link #evaluateUsage}, explained: {@code allLots} are every lot of the account (expired, future and empty
     * ones included), and each says whether the call may draw on it and which rule decided. The verdict is the one
     * {@code evaluateUsage} gives, fired rules included; the explaining rules are named in the lots only.
     */
    public UsageExplanation explainUsage(UsageCall call, Collection<Lot> allLots) {
        return explainUsage(call, allLots, null);
    }

    /** The same for a call that sent its tokens ({@code price}: its price question; null for one in credits). */
    public UsageExplanation explainUsage(UsageCall call, Collection<Lot> allLots, PriceQuestion price) {
        Firing firing = price == null ? fire(facts(allLots, call, Draw.of(call), new Explain()))
                : fire(facts(allLots, call, Draw.of(call), new Explain(), price.in(prices)));
        UsageVerdict verdict = price == null ? UsageVerdicts.verdict(firing, version)
                : UsageVerdicts.priced(firing, price, version, prices);
        return UsageVerdicts.explained(firing, verdict, allLots);
    }

    private static List<Object> facts(Collection<Lot> lots, Object... questions) {
        List<Object> facts = new ArrayList<>(lots.size() + questions.length);
        facts.addAll(List.of(questions));
        facts.addAll(lots);
        return facts;
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

    /** What a commit does with its cost beyond the hold (holds.drl); exactly one treatment must be concluded. */
    public SettlementVerdicts.ExcessVerdict evaluateExcess(HoldExcess excess) {
        return SettlementVerdicts.excess(fire(List.of(excess)), excess);
    }

    /** The void question (corrections.drl); exactly one treatment must be concluded. */
    public SettlementVerdicts.VoidVerdict evaluateVoid(LotVoid lotVoid) {
        return SettlementVerdicts.onVoid(fire(List.of(lotVoid)), lotVoid);
    }

    /** The reversal question, one fact per allocation; exactly one treatment per lot must be concluded. */
    public SettlementVerdicts.ReversalVerdict evaluateReversal(List<ReturnedAllocation> allocations) {
        return SettlementVerdicts.reversal(fire(allocations), allocations);
    }

    /** The refusals the rules conclude for an add-on grant; empty when it may be granted. */
    public List<Refusal> evaluateGrant(AddonGrant grant) {
        List<Refusal> refusals = new ArrayList<>(fire(List.of(grant)).all(Refusal.class));
        refusals.sort(Comparator.comparing(Refusal::getProblem).thenComparing(Refusal::getMessage));
        return refusals;
    }

    /** @throws RulesBudgetExceeded when the rules do not come to a decision within the budget */
    Firing fire(Collection<?> facts) {
        FiredRules fired = new FiredRules();
        EvaluationBudget.Watch watch = budget.new Watch(facts.size());
        KieSession session = sessions.newKieSession();
        boolean spent = false;
        try {
            fired.listenTo(session);
            session.addEventListener(watch);
            for (Object fact : facts) {
                session.insert(fact);
            }
            session.fireAllRules((int) Math.min(Integer.MAX_VALUE, watch.firingLimit() + 1));
            if (watch.spent()) {
                spent = true;
                budgetsExceeded.incrementAndGet();
                throw watch.failure();
            }
            List<Conclusions> conclusions = new ArrayList<>();
            for (Object o : session.getObjects(o -> o instanceof Conclusions)) {
                conclusions.add((Conclusions) o);
            }
            return new Firing(conclusions, fired.decided());
        } finally {
            fired.stopListening(session);
            session.removeEventListener(watch);
            if (spent) {
                session.destroy(); // a session halted mid-evaluation is not given to the next call
            } else {
                session.dispose(); // a pooled session is reset and goes back to the pool
            }
        }
    }
}

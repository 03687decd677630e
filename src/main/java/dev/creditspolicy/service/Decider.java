package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.Deduction;
import dev.creditspolicy.ledger.HoldSettlement;
import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.LotExplanation;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.SettlementVerdicts.ExcessVerdict;
import dev.creditspolicy.policy.UsageExplanation;
import dev.creditspolicy.policy.UsageVerdict;
import dev.creditspolicy.policy.facts.ExcessPolicy;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.HoldExcess;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.UsageCall;
import dev.creditspolicy.service.Commands.Tokens;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.store.Rows.LotRow;

/**
 * The decision pipeline's one step, for a usage call, an evaluation, a hold and a hold's commit: over a
 * {@link Snapshot} of the account at the call's instant, already loaded, the rules judge the call (exemption,
 * sharing, priority; its price when it sent tokens, a model they do not price refused) and {@code ledger/} turns
 * their verdict into the decision, with its trace (fired rules; in explain mode why each lot was or was not drawn) and
 * its allocations. No I/O here: a batch decides its calls in memory.
 */
final class Decider {

    /** The call to decide, as its request states it; its account and instant are the snapshot's. */
    record Call(String requestId, Product product, Feature feature, String model, Outcome outcome,
                BigDecimal credits, Tokens tokens) {
        static Call of(Usage cmd) {
            return new Call(cmd.requestId(), cmd.product(), cmd.feature(), cmd.model(), cmd.outcome(), cmd.credits(),
                    cmd.tokens());
        }
    }

    /** The rules' verdict on the call and the decision it makes; {@code explanation} only in explain mode. */
    record Decided(UsageCall call, UsageVerdict verdict, UsageDecision decision, List<LotExplanation> explanation) {
        /** What the call cost: its credits, or the price the rules made of its tokens. */
        BigDecimal cost() {
            return Deduction.cost(call, verdict);
        }
    }

    private final RuleSet rules;
    private final Timer rulesTime;

    Decider(RuleSet rules) {
        this(rules, null);
    }

    /** @param rulesTime measures the rules' evaluation of each call decided (not explained); null: not measured */
    Decider(RuleSet rules, Timer rulesTime) {
        this.rules = rules;
        this.rulesTime = rulesTime;
    }

    /** Charged from the eligible lots in the rules' order, exempt, or (holding too little) a shortfall, nothing drawn. */
    Decided decide(Snapshot s, Call c) {
        UsageCall call = call(s, c);
        UsageVerdict verdict = verdict(s, c, call);
        return new Decided(call, verdict, Deduction.decide(call, verdict), null);
    }

    /** The same decision, and for every lot of the snapshot (explain mode: all of them) why it was or was not drawn. */
    Decided explain(Snapshot s, Call c) {
        UsageCall call = call(s, c);
        UsageExplanation explanation = rules.explainUsage(call, facts(s), Pricing.question(c.model(), c.feature(),
                s.at(), c.tokens()));
        Pricing.refuseUnpriced(explanation.verdict(), c.model(), s.at());
        UsageDecision decision = Deduction.decide(call, explanation.verdict());
        Map<String, BigDecimal> drawn = new HashMap<>();
        decision.allocations().forEach(a -> drawn.merge(a.lotId(), a.amount(), BigDecimal::add));
        return new Decided(call, explanation.verdict(), decision, explanation.explain(decision.status(), drawn));
    }

    /**
     * A hold's commit ({@code c}: the hold's call with what it actually cost): paid first from what the hold still
     * reserves ({@link Snapshot#held}); what it cost beyond that, the excess, is drawn as the rules' excess policy
     * (holds.drl) says, from the snapshot's lots.
     */
    HoldSettlement.Settled commit(Snapshot s, Call c) {
        UsageCall call = call(s, c);
        UsageVerdict verdict = verdict(s, c, call);
        BigDecimal cost = Deduction.cost(call, verdict);
        BigDecimal stillHeld = Money.of(s.held().stream().map(Allocation::amount).reduce(Money.ZERO,
                BigDecimal::add));
        ExcessPolicy policy = null;
        List<String> excessRules = List.of();
        if (verdict.exemption() == null && cost.compareTo(stillHeld) > 0) {
            ExcessVerdict excess = rules.evaluateExcess(new HoldExcess(c.requestId(), s.account().accountId(),
                    s.plan(), c.product(), stillHeld, Money.of(cost.subtract(stillHeld)), s.at()));
            policy = excess.policy();
            excessRules = excess.firedRules();
        }
        return HoldSettlement.commit(c.requestId(), cost, s.held(), verdict, policy, excessRules);
    }

    private static UsageCall call(Snapshot s, Call c) {
        return new UsageCall(c.requestId(), s.account().accountId(), s.account().realm(), s.plan(), c.product(),
                c.feature(), c.model(), c.outcome(), c.credits(), s.at());
    }

    /** The rules' verdict over the snapshot's lots; a call in tokens of a model they do not price is refused. */
    private UsageVerdict verdict(Snapshot s, Call c, UsageCall call) {
        long started = System.nanoTime();
        UsageVerdict verdict = rules.evaluateUsage(call, facts(s), Pricing.question(c.model(), c.feature(), s.at(),
                c.tokens()));
        if (rulesTime != null) {
            rulesTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        Pricing.refuseUnpriced(verdict, c.model(), s.at());
        return verdict;
    }

    private static List<Lot> facts(Snapshot s) {
        return s.lots().stream().map(LotRow::toFact).toList();
    }
}

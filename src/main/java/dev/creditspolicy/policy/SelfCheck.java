package dev.creditspolicy.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.creditspolicy.policy.facts.AddonGrant;
import dev.creditspolicy.policy.facts.Draw;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.HoldExcess;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.LotVoid;
import dev.creditspolicy.policy.facts.ModelRate;
import dev.creditspolicy.policy.facts.ReturnedAllocation;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChange;
import dev.creditspolicy.policy.facts.PriceQuestion;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.UsageCall;

/**
 * A rule set that compiles may still fail at evaluation (a missing deduction order, a throwing consequence): before
 * it serves, every product and plan is evaluated on a sample call and on the balance question, every plan on the
 * forecast's order of an account's lots, each outcome before and after the Credits model's start in explain mode, a
 * plan change, a hold's excess, a void, a reversal (to an active and an expired lot) and a grant on sample facts, and
 * a price for every model the price table prices, with every feature, at every instant that matters.
 */
final class SelfCheck {
    private static final Instant T = Instant.parse("2026-07-01T00:00:00Z");
    private static final Instant BEFORE_CREDITS_MODEL = Instant.parse("2026-01-01T00:00:00Z");

    private SelfCheck() {
    }

    /** @throws RulesInvalidException naming the file and rule that failed, when Drools says which */
    static void run(RuleSet rules, List<RuleFile> sources) {
        Lot lot = new Lot("self-check", "self-check", Realm.QODER, LotSource.PLAN, Plan.PERSONAL_PRO, null,
                T, T.plusSeconds(86_400), BigDecimal.ONE);
        try {
            for (Product product : Product.values()) {
                for (Plan plan : Plan.values()) {
                    rules.evaluateUsage(call(plan, product, Outcome.SUCCEEDED, T), List.of(lot));
                    rules.eligibleLots(new Draw("self-check", Realm.QODER, plan, product, T), List.of(lot));
                }
            }
            // the forecast asks for the order of the account's lots, whichever product will burn them
            for (Plan plan : Plan.values()) {
                rules.deductionOrder(new Draw("self-check", Realm.QODER, plan, null, T));
            }
            // each outcome before and after the Credits model's start: at most one exemption reason may apply
            for (Instant at : List.of(BEFORE_CREDITS_MODEL, T)) {
                for (Outcome outcome : Outcome.values()) {
                    rules.explainUsage(call(Plan.PERSONAL_PRO, Product.IDE, outcome, at), List.of(lot));
                }
            }
            rules.evaluatePlanChange(new PlanChange("self-check", Plan.PERSONAL_COMMUNITY, Plan.PERSONAL_PRO,
                    PlanChangeKind.UPGRADE, T.plusSeconds(60)), List.of(lot));
            rules.evaluateExcess(new HoldExcess("self-check", "self-check", Plan.PERSONAL_PRO, Product.IDE,
                    BigDecimal.ONE, BigDecimal.ONE, T));
            rules.evaluateVoid(new LotVoid("self-check", "self-check", LotSource.PURCHASE, T, "self-check",
                    BigDecimal.ONE));
            rules.evaluateReversal(List.of(
                    new ReturnedAllocation("self-check", "self-check", LotType.PLAN, BigDecimal.ONE, T,
                            T.plusSeconds(60)),
                    new ReturnedAllocation("self-check", "self-check-expired", LotType.ADDON, BigDecimal.ONE, T,
                            T)));
            rules.evaluateGrant(new AddonGrant("self-check", Plan.PERSONAL_PRO, LotSource.PURCHASE, T));
            // pricing.drl answers every question exactly once: a price for every model the table prices, with every
            // feature, at every instant the rule files write and each price row's first and last second in force
            // (where a rule of pricing.drl or a row starts or ends), and a refusal for a model the table lacks
            Set<Instant> instants = instantsWritten(sources);
            rules.priceTable().rates().forEach(row -> instants.addAll(firstAndLastSecond(row)));
            for (Feature feature : Feature.values()) {
                for (Instant at : instants) {
                    for (String model : rules.pricedModels(at)) {
                        if (rules.price(new PriceQuestion(model, feature, at, 1000, 1000, 1000)) == null) {
                            throw new IllegalStateException("the price table prices " + model + " at " + at
                                    + " but pricing.drl does not");
                        }
                    }
                }
                if (rules.price(new PriceQuestion("self-check: no such model", feature, T, 1, 0, 1)) != null) {
                    throw new IllegalStateException("pricing.drl prices a model the price table does not price");
                }
            }
        } catch (RulesBudgetExceeded e) {
            String message = "the rules compile but do not decide a sample call within the budget: " + e.getMessage();
            throw new RulesInvalidException(List.of(new DroolsErrors(sources).locateRule(e.rule(), message)));
        } catch (RuntimeException e) {
            String message = "the rules compile but fail on a sample call: " + (isOwnCheck(e) ? e.getMessage()
                    : "a condition or consequence threw " + rootCause(e).getClass().getName()
                    + " (its text is not shown: it is what the candidate's code produced)");
            throw new RulesInvalidException(List.of(new DroolsErrors(sources).locateFailure(e, message)));
        }
    }

    /** A refusal of the self-check as a whole, in the service's words. */
    static RulesInvalidException refusal(String message) {
        return new RulesInvalidException(List.of(new RuleError("(self-check)", 0, null, message)));
    }

    /** The classes that check what the rules concluded, after they ran: their texts are the service's own. */
    private static final Set<String> CHECKERS = Set.of(RuleSet.class.getName(), UsageVerdicts.class.getName(),
            SettlementVerdicts.class.getName(), SelfCheck.class.getName());

    /**
     * Whether the exception is one of the service's own checks of what the rules concluded ("must conclude exactly
     * one DeductionOrder"): thrown by {@link #CHECKERS} themselves, after the rules ran, its text written by the
     * service. Anything thrown while a candidate's condition or consequence runs is thrown from elsewhere (the JDK, a
     * fact, Drools).
     */
    private static boolean isOwnCheck(RuntimeException e) {
        StackTraceElement[] stack = e.getStackTrace();
        return e.getClass() == IllegalStateException.class && e.getCause() == null && stack.length > 0
                && CHECKERS.contains(stack[0].getClassName());
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The first and the last second a price row is in force (an open end: none). */
    private static List<Instant> firstAndLastSecond(ModelRate row) {
        List<Instant> bounds = new ArrayList<>();
        if (row.getFrom() != null) {
            bounds.add(row.getFrom());
        }
        if (row.getUntil() != null) {
            bounds.add(row.getUntil().minusSeconds(1));
        }
        return bounds;
    }

    private static final Pattern INSTANT = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:\\d{2})");

    /** {@link #T}, and every ISO instant with an offset the rule files write, and a second before each. */
    static Set<Instant> instantsWritten(List<RuleFile> sources) {
        Set<Instant> instants = new TreeSet<>(List.of(T));
        for (RuleFile f : sources) {
            Matcher m = INSTANT.matcher(f.content());
            while (m.find()) {
                try {
                    Instant at = OffsetDateTime.parse(m.group()).toInstant();
                    instants.add(at);
                    instants.add(at.minusSeconds(1));
                } catch (DateTimeParseException e) {
                    // not an instant after all (a comment's example, say): nothing to sample
                }
            }
        }
        return instants;
    }

    private static UsageCall call(Plan plan, Product product, Outcome outcome, Instant at) {
        return new UsageCall("self-check", "self-check", Realm.QODER, plan, product, Feature.EDITOR_ASK,
                "self-check", outcome, BigDecimal.ONE, at);
    }
}

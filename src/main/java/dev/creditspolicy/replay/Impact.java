package dev.creditspolicy.replay;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;

import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.Commands.Commit;
import dev.creditspolicy.service.Commands.Reversal;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.Views.ReversalView;
import dev.creditspolicy.service.UsageService;

/**
 * What a candidate rule set would change: the same histories replayed under the serving rules and under the
 * candidate, each on its own in-memory database, and every usage decision (commits and reversals included: a
 * reversal counts its credits as a negative charge) that differs. Writes to no ledger.
 */
public final class Impact {
    private Impact() {
    }

    /** A decision as the report shows it: status, reason, charged and the lots drawn. */
    public record Side(String status, String reason, BigDecimal charged, Map<String, BigDecimal> lots) {
        static Side of(ScenarioRunner.StepOutcome o) {
            if (o.problem() != null) {
                return new Side("REFUSED", o.problem().slug(), Money.ZERO, Map.of());
            }
            if (o.step().requestKind() == Kinds.REVERSAL) {
                // a reversal takes back what it gives back: net of it, the credits charged go down
                ReversalView r = o.result(Kinds.REVERSAL).body();
                Map<String, BigDecimal> lots = new TreeMap<>();
                r.allocations().forEach(a -> lots.put(a.lotId(), a.amount().negate()));
                return new Side(r.status(), "forfeited " + r.forfeited().toPlainString(), r.reversed().negate(),
                        lots);
            }
            UsageDecision d = o.step().requestKind() == Kinds.COMMIT ? o.result(Kinds.COMMIT).body().decision()
                    : o.result(Kinds.USAGE).body().decision();
            Map<String, BigDecimal> lots = new TreeMap<>();
            d.allocations().forEach(a -> lots.put(a.lotId(), a.amount()));
            return new Side(d.status().name(), d.reason().name(), d.charged(), lots);
        }

        @Override
        public String toString() {
            return status + " " + reason + " charged " + charged.toPlainString() + " lots " + lots;
        }
    }

    public record Change(String source, String account, String requestId, String product, String plan,
                         Instant occurredAt, Side before, Side after) {
        BigDecimal delta() {
            return after.charged().subtract(before.charged());
        }
    }

    public record Report(String fromVersion, String toVersion, int decisionsCompared, List<Change> changes,
                         BigDecimal chargedBefore, BigDecimal chargedAfter, Map<String, BigDecimal> deltaByProduct,
                         Map<String, BigDecimal> deltaByPlan) {
    }

    /** A usage step's call as the report names it; "?" for what a refused body did not give. */
    private record Call(String account, String requestId, String product, Instant occurredAt) {
        static Call of(ScenarioRunner.StepOutcome o, Map<Integer, Call> commits) {
            if (o.step().requestKind() == Kinds.REVERSAL) {
                Call stored = commits.get(o.step().index());
                return stored != null ? stored : new Call("?", text(o.step().body(), "requestId"), "?",
                        instant(text(o.step().body(), "at")));
            }
            if (o.step().requestKind() == Kinds.COMMIT) {
                Call stored = commits.get(o.step().index());
                Commit c = o.command(Kinds.COMMIT);
                return stored != null ? stored : new Call("?", text(o.step().body(), "hold"), "?",
                        c != null ? c.occurredAt() : instant(text(o.step().body(), "occurredAt")));
            }
            Usage u = o.command(Kinds.USAGE);
            if (u != null) {
                return new Call(u.accountId(), u.requestId(), u.product().name(), u.occurredAt());
            }
            JsonNode body = o.step().body();
            return new Call(text(body, "account"), text(body, "requestId"), text(body, "product"),
                    instant(text(body, "occurredAt")));
        }
    }

    public static Report compare(PolicyEngine from, PolicyEngine to, List<Scenario> histories, Instant since,
                                 String onlyAccount) {
        ScenarioRunner before = new ScenarioRunner(from);
        ScenarioRunner after = new ScenarioRunner(to);
        List<Change> changes = new ArrayList<>();
        int compared = 0;
        BigDecimal chargedBefore = Money.ZERO;
        BigDecimal chargedAfter = Money.ZERO;
        Map<String, BigDecimal> byProduct = new TreeMap<>();
        Map<String, BigDecimal> byPlan = new TreeMap<>();
        for (Scenario history : histories) {
            Map<Integer, Plan> plans = new HashMap<>();
            Map<Integer, Call> commits = new HashMap<>();
            List<ScenarioRunner.StepOutcome> a = before.outcomes(history, planOf(plans, commits));
            List<ScenarioRunner.StepOutcome> b = after.outcomes(history, planOf(plans, commits));
            for (int i = 0; i < a.size(); i++) {
                // a hold's commit is a usage decision (under the hold's id): compared like one; a reversal (what
                // corrections.drl gives back) too, its credits counted as negative charges
                if (a.get(i).step().requestKind() != Kinds.USAGE && a.get(i).step().requestKind() != Kinds.COMMIT
                        && a.get(i).step().requestKind() != Kinds.REVERSAL) {
                    continue;
                }
                Call call = Call.of(a.get(i), commits);
                if ((since != null && (call.occurredAt() == null || call.occurredAt().isBefore(since)))
                        || (onlyAccount != null && !onlyAccount.equals(call.account()))) {
                    continue;
                }
                compared++;
                Side x = Side.of(a.get(i));
                Side y = Side.of(b.get(i));
                chargedBefore = chargedBefore.add(x.charged());
                chargedAfter = chargedAfter.add(y.charged());
                if (!x.equals(y)) {
                    Plan plan = plans.get(a.get(i).step().index());
                    Change c = new Change(history.file(), call.account(), call.requestId(), call.product(),
                            plan == null ? "?" : plan.name(), call.occurredAt(), x, y);
                    changes.add(c);
                    byProduct.merge(c.product(), c.delta(), BigDecimal::add);
                    byPlan.merge(c.plan(), c.delta(), BigDecimal::add);
                }
            }
        }
        return new Report(from.current().version(), to.current().version(), compared, changes, chargedBefore,
                chargedAfter, byProduct, byPlan);
    }

    /**
     * Notes the plan each usage call was judged under, as stored with its decision (the serving rules' run first,
     * the candidate's where the serving rules refused the call).
     */
    private static ScenarioRunner.Observer planOf(Map<Integer, Plan> plans, Map<Integer, Call> commits) {
        return (o, services) -> {
            Usage u = o.command(Kinds.USAGE);
            if (u != null && o.problem() == null && !plans.containsKey(o.step().index())) {
                plans.put(o.step().index(), services.usage().stored(u.requestId()).plan());
            }
            Commit c = o.command(Kinds.COMMIT);
            if (c != null && o.problem() == null && !plans.containsKey(o.step().index())) {
                UsageService.StoredUsage stored = services.usage().stored(c.holdId());
                plans.put(o.step().index(), stored.plan());
                commits.put(o.step().index(), new Call(stored.request().accountId(), c.holdId(),
                        stored.request().product().name(), c.occurredAt()));
            }
            Reversal r = o.command(Kinds.REVERSAL);
            if (r != null && o.problem() == null && !plans.containsKey(o.step().index())) {
                UsageService.StoredUsage stored = services.usage().stored(r.requestId());
                plans.put(o.step().index(), stored.plan());
                commits.put(o.step().index(), new Call(stored.request().accountId(), r.requestId(),
                        stored.request().product().name(), r.at()));
            }
        };
    }

    /** A field of a step as written, or "?" (a step that is refused for a missing field is still compared). */
    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? "?" : n.asString();
    }

    private static Instant instant(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    public static String text(Report r) {
        StringBuilder s = new StringBuilder();
        s.append("Impact of rules ").append(r.toVersion()).append(" against ").append(r.fromVersion()).append(": ")
                .append(r.changes().size()).append(" of ").append(r.decisionsCompared())
                .append(" usage decisions change\n");
        for (Change c : r.changes()) {
            s.append("\n").append(c.account()).append(" ").append(c.requestId()).append(" (").append(c.product())
                    .append(", ").append(c.plan()).append(", ").append(c.occurredAt()).append(")")
                    .append(c.source().startsWith("account ") ? "" : " in " + c.source()).append('\n');
            s.append("  before: ").append(c.before()).append('\n');
            s.append("  after:  ").append(c.after()).append('\n');
        }
        s.append("\nCredits charged: before ").append(r.chargedBefore().toPlainString()).append(", after ")
                .append(r.chargedAfter().toPlainString()).append(" (").append(signed(r.chargedAfter()
                        .subtract(r.chargedBefore()))).append(")\n");
        s.append("  by product: ").append(deltas(r.deltaByProduct())).append('\n');
        s.append("  by plan:    ").append(deltas(r.deltaByPlan())).append('\n');
        return s.toString();
    }

    private static String deltas(Map<String, BigDecimal> m) {
        if (m.isEmpty()) {
            return "no change";
        }
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + " " + signed(v)));
        return String.join(", ", parts);
    }

    private static String signed(BigDecimal d) {
        return (d.signum() > 0 ? "+" : "") + d.toPlainString();
    }
}

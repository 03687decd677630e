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

    /**
     * A decision as the report shows it: status, reason, charged and the lots drawn; for a call that sent its tokens,
     * also the price the rules made of them ({@code price}, null for a call in credits).
     */
    public record Side(String status, String reason, BigDecimal charged, Map<String, BigDecimal> lots,
                       BigDecimal price) {
        static Side of(ScenarioRunner.StepOutcome o) {
            if (o.problem() != null) {
                return new Side("REFUSED", o.problem().slug(), Money.ZERO, Map.of(), null);
            }
            if (o.step().requestKind() == Kinds.REVERSAL) {
                // a reversal takes back what it gives back: net of it, the credits charged go down
                ReversalView r = o.result(Kinds.REVERSAL).body();
                Map<String, BigDecimal> lots = new TreeMap<>();
                r.allocations().forEach(a -> lots.put(a.lotId(), a.amount().negate()));
                return new Side(r.status(), "forfeited " + r.forfeited().toPlainString(), r.reversed().negate(),
                        lots, null);
            }
            UsageDecision d = o.step().requestKind() == Kinds.COMMIT ? o.result(Kinds.COMMIT).body().decision()
                    : o.result(Kinds.USAGE).body().decision();
            Map<String, BigDecimal> lots = new TreeMap<>();
            d.allocations().forEach(a -> lots.put(a.lotId(), a.amount()));
            return new Side(d.status().name(), d.reason().name(), d.charged(), lots,
                    d.price() == null ? null : d.price().credits());
        }

        @Override
        public String toString() {
            return status + " " + reason + " charged " + charged.toPlainString() + " lots " + lots
                    + (price == null ? "" : " price " + price.toPlainString());
        }
    }

    public record Change(String source, String account, String requestId, String product, String plan,
                         Instant occurredAt, Side before, Side after, String model) {
        BigDecimal delta() {
            return after.charged().subtract(before.charged());
        }

        /** The call changed status to {@code status} (e.g. a price rise turned it INSUFFICIENT). */
        boolean turned(String status) {
            return after.status().equals(status) && !before.status().equals(status);
        }

        String named() {
            return account + " " + requestId + " (" + model + ", " + occurredAt + ")";
        }
    }

    /**
     * The changes and totals: credits charged before and after, the difference by product, by plan, by account and
     * by model, and the calls that turned INSUFFICIENT or CHARGED under the candidate.
     */
    public record Report(String fromVersion, String toVersion, int decisionsCompared, List<Change> changes,
                         BigDecimal chargedBefore, BigDecimal chargedAfter, Map<String, BigDecimal> deltaByProduct,
                         Map<String, BigDecimal> deltaByPlan, Map<String, BigDecimal> deltaByAccount,
                         Map<String, BigDecimal> deltaByModel, List<String> turnedInsufficient,
                         List<String> turnedCharged, EventCounts events) {
    }

    /** A usage step's call as the report names it; "?" for what a refused body did not give. */
    private record Call(String account, String requestId, String product, Instant occurredAt, String model) {
        static Call of(ScenarioRunner.StepOutcome o, Map<Integer, Call> commits) {
            if (o.step().requestKind() == Kinds.REVERSAL) {
                Call stored = commits.get(o.step().index());
                return stored != null ? stored : new Call("?", text(o.step().body(), "requestId"), "?",
                        instant(text(o.step().body(), "at")), "?");
            }
            if (o.step().requestKind() == Kinds.COMMIT) {
                Call stored = commits.get(o.step().index());
                Commit c = o.command(Kinds.COMMIT);
                return stored != null ? stored : new Call("?", text(o.step().body(), "hold"), "?",
                        c != null ? c.occurredAt() : instant(text(o.step().body(), "occurredAt")), "?");
            }
            Usage u = o.command(Kinds.USAGE);
            if (u != null) {
                return new Call(u.accountId(), u.requestId(), u.product().name(), u.occurredAt(), u.model());
            }
            JsonNode body = o.step().body();
            return new Call(text(body, "account"), text(body, "requestId"), text(body, "product"),
                    instant(text(body, "occurredAt")), text(body, "model"));
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
        Map<String, BigDecimal> byAccount = new TreeMap<>();
        Map<String, BigDecimal> byModel = new TreeMap<>();
        EventCounts events = EventCounts.empty();
        for (Scenario history : histories) {
            Map<Integer, Plan> plans = new HashMap<>();
            Map<Integer, Call> commits = new HashMap<>();
            var a = before.outcomes(history, EventCounts.counting(events.before(), planOf(plans, commits)));
            var b = after.outcomes(history, EventCounts.counting(events.after(), planOf(plans, commits)));
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
                            plan == null ? "?" : plan.name(), call.occurredAt(), x, y, call.model());
                    changes.add(c);
                    byProduct.merge(c.product(), c.delta(), BigDecimal::add);
                    byPlan.merge(c.plan(), c.delta(), BigDecimal::add);
                    byAccount.merge(c.account(), c.delta(), BigDecimal::add);
                    byModel.merge(c.model(), c.delta(), BigDecimal::add);
                }
            }
        }
        return new Report(from.current().version(), to.current().version(), compared, changes, chargedBefore,
                chargedAfter, byProduct, byPlan, byAccount, byModel,
                changes.stream().filter(c -> c.turned("INSUFFICIENT")).map(Change::named).toList(),
                changes.stream().filter(c -> c.turned("CHARGED")).map(Change::named).toList(), events);
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
                        stored.request().product().name(), c.occurredAt(), stored.request().model()));
            }
            Reversal r = o.command(Kinds.REVERSAL);
            if (r != null && o.problem() == null && !plans.containsKey(o.step().index())) {
                UsageService.StoredUsage stored = services.usage().stored(r.requestId());
                plans.put(o.step().index(), stored.plan());
                commits.put(o.step().index(), new Call(stored.request().accountId(), r.requestId(),
                        stored.request().product().name(), r.at(), stored.request().model()));
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
        s.append("  by account: ").append(deltas(r.deltaByAccount())).append('\n');
        s.append("  by model:   ").append(deltas(r.deltaByModel())).append('\n');
        s.append("Turned INSUFFICIENT: ").append(r.turnedInsufficient().isEmpty() ? "none"
                : String.join(", ", r.turnedInsufficient())).append('\n');
        s.append("Turned CHARGED:      ").append(r.turnedCharged().isEmpty() ? "none"
                : String.join(", ", r.turnedCharged())).append('\n');
        return s.append(r.events().text()).toString();
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

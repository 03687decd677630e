package dev.creditspolicy.replay;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.service.Commands;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Fields;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.store.Databases;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Store;

/**
 * Runs scenarios through the same service code the HTTP API uses, each on a fresh in-memory database, and reports
 * every step whose answer differs from its {@code expect}.
 */
public final class ScenarioRunner {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final PolicyEngine engine;

    public ScenarioRunner(PolicyEngine engine) {
        this.engine = engine;
    }

    /** The outcome of one scenario file: passed, or the lines that say what failed. */
    public record Result(String file, String name, List<String> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    public Result run(Path path) {
        Scenario scenario;
        try {
            scenario = ScenarioReader.read(path);
            for (Scenario.Step step : scenario.steps()) {
                Expectations.validate(scenario.file(), step);
            }
        } catch (ScenarioException e) {
            return new Result(path.toString(), "(not run)", List.of(e.getMessage()));
        }
        return run(scenario);
    }

    public Result run(Scenario scenario) {
        List<String> failures = new ArrayList<>();
        List<StepOutcome> outcomes = outcomes(scenario);
        for (StepOutcome o : outcomes) {
            List<String> problems = check(o.step(), o.outcome());
            if (!problems.isEmpty()) {
                failures.add(o.step().describe());
                problems.forEach(p -> failures.add("  " + p));
            }
        }
        return new Result(scenario.file(), scenario.name(), failures);
    }

    /**
     * A step and what it answered; for a recorded usage call, also the plan it was judged under, as stored with its
     * decision (null for other steps and for refused calls).
     */
    public record StepOutcome(Scenario.Step step, Outcome outcome, Plan plan) {
    }

    /** Applies every step on a fresh in-memory database and returns what each answered; compares nothing. */
    public List<StepOutcome> outcomes(Scenario scenario) {
        DataSource ds = Databases.freshInMemory("scenario");
        try {
            ScenarioClock clock = new ScenarioClock();
            CreditsServices services = CreditsServices.of(new Store(ds), engine, clock, new SimpleMeterRegistry());
            List<StepOutcome> out = new ArrayList<>();
            for (Scenario.Step step : scenario.steps()) {
                Outcome outcome = execute(services, clock, step);
                out.add(new StepOutcome(step, outcome, storedPlan(services.store(), step, outcome)));
            }
            return out;
        } finally {
            Databases.drop(ds);
        }
    }

    /** What a step answered: a JSON tree shaped for comparison, or the problem that refused it. */
    public record Outcome(JsonNode answer, Problem problem) {
    }

    private static List<String> check(Scenario.Step step, Outcome outcome) {
        ObjectNode expect = step.expect();
        JsonNode expectedError = expect == null ? null : expect.get("error");
        if (outcome.problem() != null) {
            Problem p = outcome.problem();
            if (expectedError == null) {
                return List.of("error: expected success, actual " + p.slug() + " (" + p.getMessage() + ")");
            }
            return expectedError.asString().equals(p.slug()) ? List.of()
                    : List.of("error: expected " + expectedError.asString() + ", actual " + p.slug() + " ("
                            + p.getMessage() + ")");
        }
        if (expect == null) {
            return List.of();
        }
        if (expectedError != null) {
            return List.of("error: expected " + expectedError.asString() + ", actual success " + outcome.answer());
        }
        return Expectations.compare(expect, outcome.answer());
    }

    private static Outcome execute(CreditsServices s, ScenarioClock clock, Scenario.Step step) {
        ObjectNode body = step.body().deepCopy();
        try {
            return new Outcome(switch (step.kind()) {
                case "account" -> {
                    rename(body, "id", "accountId");
                    var cmd = Commands.CreateAccount.parse(body);
                    clock.advanceTo(cmd.at());
                    yield tree(s.accounts().create(cmd).body());
                }
                case "cycle" -> {
                    var cmd = Commands.StartCycle.parse(account(body), body);
                    clock.advanceTo(cmd.start());
                    yield tree(s.accounts().startCycle(cmd).body());
                }
                case "grant" -> {
                    var cmd = Commands.GrantAddon.parse(account(body), body);
                    clock.advanceTo(cmd.effectiveAt());
                    yield tree(s.accounts().grantAddon(cmd).body());
                }
                case "planChange" -> {
                    var cmd = Commands.ChangePlan.parse(account(body), body);
                    clock.advanceTo(cmd.at());
                    ObjectNode answer = tree(s.accounts().changePlan(cmd).body());
                    yield byKey(answer, "expiryChanges", "lotId", "newExpiresAt");
                }
                case "usage", "evaluate" -> {
                    rename(body, "account", "accountId");
                    var cmd = Commands.Usage.parse(body, step.kind().equals("usage"));
                    clock.advanceTo(cmd.occurredAt());
                    ObjectNode answer = tree(step.kind().equals("usage") ? s.usage().record(cmd).body()
                            : s.usage().evaluate(cmd));
                    yield byKey(answer, "allocations", "lotId", "amount");
                }
                case "balance" -> {
                    String id = account(body);
                    Fields f = new Fields(body, java.util.Set.of("at", "product"));
                    ObjectNode answer = tree(s.reports().balance(id, f.optionalInstant("at"),
                            f.optionalEnum("product", Product.class)));
                    answer.set("PLAN", answer.get("byType").get("PLAN"));
                    answer.set("ADDON", answer.get("byType").get("ADDON"));
                    yield answer;
                }
                case "lots" -> {
                    String id = account(body);
                    Instant at = new Fields(body, java.util.Set.of("at")).optionalInstant("at");
                    ArrayNode lots = JSON.valueToTree(s.reports().lots(id, at));
                    ObjectNode answer = JSON.createObjectNode();
                    answer.put("count", lots.size());
                    lots.forEach(l -> answer.set(l.get("lotId").asString(), l));
                    yield answer;
                }
                case "creditsLog" -> {
                    String id = account(body);
                    new Fields(body, java.util.Set.of());
                    ArrayNode entries = JSON.valueToTree(s.reports().creditsLog(id));
                    ObjectNode answer = JSON.createObjectNode();
                    answer.put("count", entries.size());
                    answer.set("entries", entries);
                    yield answer;
                }
                default -> throw new IllegalStateException("unknown step kind " + step.kind());
            }, null);
        } catch (Problem p) {
            return new Outcome(null, p);
        }
    }

    private static Plan storedPlan(Store store, Scenario.Step step, Outcome outcome) {
        if (!step.kind().equals("usage") || outcome.problem() != null) {
            return null;
        }
        String requestId = outcome.answer().get("requestId").asString();
        return store.inTransaction(tx -> tx.usage().find(requestId).map(DecisionRow::plan).orElse(null));
    }

    private static ObjectNode tree(Object answer) {
        return JSON.valueToTree(answer);
    }

    /** Turns a list of objects into a map (e.g. allocations → {lotId: amount}) the way expectations write it. */
    private static ObjectNode byKey(ObjectNode answer, String field, String key, String value) {
        ObjectNode map = JSON.createObjectNode();
        answer.get(field).forEach(item -> map.set(item.get(key).asString(), item.get(value)));
        answer.set(field, map);
        return answer;
    }

    private static String account(ObjectNode body) {
        JsonNode id = body.remove("account");
        if (id == null || id.isNull() || id.asString().isBlank()) {
            throw Problem.invalid("account", "'account' is required");
        }
        return id.asString();
    }

    private static void rename(ObjectNode body, String from, String to) {
        if (body.has(from)) {
            body.set(to, body.remove(from));
        }
    }
}

package dev.creditspolicy.replay;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.events.EventLog;
import dev.creditspolicy.events.StoredEvent;
import dev.creditspolicy.policy.LotExplanation;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RulesBudgetExceeded;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.requests.RequestKind;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.ProblemType;
import dev.creditspolicy.service.Views.ExplainedDecision;
import dev.creditspolicy.store.Databases;
import dev.creditspolicy.store.Store;

/**
 * Runs scenarios through the same service code the HTTP API uses, each on a fresh in-memory database, and reports
 * every step whose answer differs from its {@code expect}. Each step runs as its request kind says (Kinds).
 */
public final class ScenarioRunner {
    private final PolicyEngine engine;
    private final boolean explain;

    public ScenarioRunner(PolicyEngine engine) {
        this(engine, false);
    }

    /** With {@code explain}, usage and evaluate steps explain every lot (what {@code replay -v} prints). */
    public ScenarioRunner(PolicyEngine engine, boolean explain) {
        this.engine = engine;
        this.explain = explain;
    }

    /**
     * The outcome of one scenario file: passed, or the lines that say what failed; and, when the runner explains,
     * one line per lot of each usage and evaluate step saying why it was or was not drawn.
     */
    public record Result(String file, String name, List<String> failures, List<String> explanations) {
        public Result(String file, String name, List<String> failures) {
            this(file, name, failures, List.of());
        }

        public boolean passed() {
            return failures.isEmpty();
        }
    }

    public Result run(Path path) {
        return run(path.toString(), () -> ScenarioReader.read(path));
    }

    /** Reads a scenario (from a file, or from the bundled suite) and its expect keys, then runs it. */
    public Result run(String file, Supplier<Scenario> read) {
        Scenario scenario;
        try {
            scenario = read.get();
            for (Scenario.Step step : scenario.steps()) {
                Expectations.validate(scenario.file(), step);
            }
        } catch (ScenarioException e) {
            return new Result(file, "(not run)", List.of(e.getMessage()));
        }
        return run(scenario);
    }

    public Result run(Scenario scenario) {
        List<String> failures = new ArrayList<>();
        List<String> explanations = new ArrayList<>();
        Map<Scenario.Step, List<String>> raised = new IdentityHashMap<>();
        long[] seen = {0};
        List<StepOutcome> outcomes = outcomes(scenario, (o, services) -> {
            List<StoredEvent> events = new EventLog(services.store()).since(seen[0]);
            events.forEach(e -> seen[0] = Math.max(seen[0], e.seq()));
            raised.put(o.step(), events.stream().map(e -> e.type() + " " + e.subject()).toList());
        });
        for (StepOutcome o : outcomes) {
            List<String> problems = new ArrayList<>(check(o));
            problems.addAll(checkEvents(o.step().expect(), raised.get(o.step())));
            if (!problems.isEmpty()) {
                failures.add(o.step().describe());
                problems.forEach(p -> failures.add("  " + p));
            }
            explain(o, explanations);
        }
        return new Result(scenario.file(), scenario.name(), failures, explanations);
    }

    private static void explain(StepOutcome o, List<String> out) {
        ExplainedDecision d = o.result(Kinds.USAGE) != null ? o.result(Kinds.USAGE).body() : o.result(Kinds.EVALUATE);
        if (d == null || d.explanation() == null) {
            return;
        }
        out.add(o.step().describe() + ": " + d.decision().status() + " " + d.decision().reason());
        for (LotExplanation lot : d.explanation()) {
            out.add("  " + lot.lotId() + " (" + lot.type() + "): " + lot.explanation()
                    + (lot.rule() == null ? "" : "  [" + lot.rule() + "]"));
        }
    }

    /**
     * A step and what it answered: the typed command and result of its request kind (the command is null when
     * the step's body was refused), the answer shaped for comparison, or the problem that refused it.
     */
    public record StepOutcome(Scenario.Step step, Record command, Object result, JsonNode answer, Problem problem) {
        /** The command, when this step is of {@code kind} and its body was read; else null. */
        public <C extends Record> C command(RequestKind<C, ?> kind) {
            return step.requestKind() == kind ? castCommand(kind) : null;
        }

        /** The result, when this step is of {@code kind} and was not refused; else null. */
        @SuppressWarnings("unchecked")
        public <R> R result(RequestKind<?, R> kind) {
            return step.requestKind() == kind ? (R) result : null;
        }

        @SuppressWarnings("unchecked")
        private <C extends Record> C castCommand(RequestKind<C, ?> kind) {
            return (C) command;
        }
    }

    /** Called after each step while the scenario's database is still there (to read what the step stored). */
    public interface Observer {
        void after(StepOutcome outcome, CreditsServices services);
    }

    /** Applies every step on a fresh in-memory database and returns what each answered; compares nothing. */
    public List<StepOutcome> outcomes(Scenario scenario) {
        return outcomes(scenario, (o, s) -> { });
    }

    public List<StepOutcome> outcomes(Scenario scenario, Observer observer) {
        DataSource ds = Databases.freshInMemory("scenario");
        try {
            ScenarioClock clock = new ScenarioClock();
            CreditsServices services = CreditsServices.of(new Store(ds), engine, clock, new SimpleMeterRegistry());
            List<StepOutcome> out = new ArrayList<>();
            for (Scenario.Step step : scenario.steps()) {
                StepOutcome outcome = execute(step.requestKind(), services, clock, step, explain);
                observer.after(outcome, services);
                out.add(outcome);
            }
            return out;
        } finally {
            Databases.drop(ds);
        }
    }

    private static <C extends Record, R> StepOutcome execute(RequestKind<C, R> kind, CreditsServices services,
                                                             ScenarioClock clock, Scenario.Step step,
                                                             boolean explain) {
        C command = null;
        try {
            command = kind.fromStep(step.body());
            Instant t = kind.clockAt(command);
            if (t != null) {
                clock.advanceTo(t);
            }
            R result = kind.execute(services, command, explain);
            return new StepOutcome(step, command, result, kind.comparable(result), null);
        } catch (Problem p) {
            return new StepOutcome(step, command, null, null, p);
        } catch (RulesBudgetExceeded e) {
            // as the API answers it: the step is refused with rules-timeout, and fails unless expected
            return new StepOutcome(step, command, null, null, new Problem(ProblemType.RULES_TIMEOUT,
                    e.getMessage(), null, null));
        }
    }

    /**
     * The events a step raised against its {@code expect: {events: [...]}}: in order, each entry a type
     * ({@code balance.low}) or a type and subject ({@code credits.expiring pack-1@2026-07-10T00:00:00Z}).
     */
    private static List<String> checkEvents(ObjectNode expect, List<String> raised) {
        JsonNode expected = expect == null ? null : expect.get(RequestKind.EVENTS_KEY);
        if (expected == null) {
            return List.of();
        }
        boolean same = expected.size() == raised.size();
        for (int i = 0; same && i < expected.size(); i++) {
            String e = expected.get(i).asString();
            same = e.contains(" ") ? raised.get(i).equals(e) : raised.get(i).startsWith(e + " ");
        }
        return same ? List.of() : List.of("events: expected " + expected + ", actual " + raised);
    }

    private static List<String> check(StepOutcome outcome) {
        Scenario.Step step = outcome.step();
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
        ObjectNode answerKeys = expect.deepCopy();
        answerKeys.remove(RequestKind.EVENTS_KEY);
        return Expectations.compare(answerKeys, outcome.answer(), step.requestKind().exactMaps());
    }
}

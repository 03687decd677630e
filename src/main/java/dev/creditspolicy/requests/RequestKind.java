package dev.creditspolicy.requests;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Scope;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.store.Rows.EventKind;

/**
 * One kind of request (create an account, start a cycle, report usage, read a balance...), defined once: how its
 * command is read from a body, how it runs through the service, how it appears as a scenario step and what that
 * step may expect, and how it is rebuilt from an account's stored history. The HTTP API, the replay runner,
 * {@code record} and {@code rules impact} all go through these definitions (see {@link Kinds}).
 *
 * @param <C> the command, a record of the service layer
 * @param <R> what the service answers
 */
public abstract class RequestKind<C extends Record, R> {
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Where a scenario step names the account: as {@code account} for the path, in the body, or as {@code id}. */
    enum AccountField { PATH, BODY, ID, HOLD }

    private final String step;
    private final AccountField accountField;
    private final Set<String> expectKeys;
    private final EventKind event;
    private final List<String> recordedKeys;
    private final ListAsMap listAsMap;

    /**
     * A list in the answer that a step expects as an exact map, e.g. allocations as {lotId: amount}: the list's
     * {@code field}, the item's key and the item's value.
     */
    record ListAsMap(String field, String key, String value) {
    }

    RequestKind(String step, AccountField accountField, Set<String> expectKeys, EventKind event,
                List<String> recordedKeys) {
        this(step, accountField, expectKeys, event, recordedKeys, null);
    }

    RequestKind(String step, AccountField accountField, Set<String> expectKeys, EventKind event,
                List<String> recordedKeys, ListAsMap listAsMap) {
        this.step = step;
        this.accountField = accountField;
        TreeSet<String> keys = new TreeSet<>(expectKeys);
        keys.add("error");
        this.expectKeys = Collections.unmodifiableSortedSet(keys);
        this.event = event;
        this.recordedKeys = recordedKeys;
        this.listAsMap = listAsMap;
    }

    /** The scenario step's name. */
    public final String step() {
        return step;
    }

    /** The account event a stored request of this kind leaves (what history is rebuilt from); null if none. */
    public final EventKind event() {
        return event;
    }

    /** The command from a request body; {@code accountId} is the path's for calls under /v1/accounts/{id}. */
    public abstract C parse(String accountId, JsonNode body);

    /**
     * Its HTTP surface: route, roles, answer, body schema, audit, OpenAPI operation (see {@link Endpoint}); null for
     * a kind no route serves.
     */
    public Endpoint endpoint() {
        return null;
    }

    /**
     * The command from an HTTP call: the path's variables ({@link Endpoint#path()}; its one variable is the id
     * {@link #parse(String, JsonNode)} takes) and the body, or for a read its query parameters as an object.
     */
    public C fromHttp(Map<String, String> path, JsonNode body) {
        if (path.size() > 1) {
            throw new IllegalStateException(step + ": a path of " + path.keySet() + " needs its own fromHttp");
        }
        return parse(path.isEmpty() ? null : path.values().iterator().next(), body);
    }

    /** Runs the command through the service; a refusal is a {@link Problem}. */
    public abstract R execute(CreditsServices services, C command);

    /** The same, asking the answer to explain itself where the kind can (usage and evaluate: every lot and why). */
    public R execute(CreditsServices services, C command, boolean explain) {
        return execute(services, command);
    }

    /** The account a command touches, for the caller's realm check; null when it touches none. */
    public String accountOf(C command) {
        return null;
    }

    /** The hold a command settles or reads, for the caller's realm check; null when it names none. */
    public String holdOf(C command) {
        return null;
    }

    /** The decision a command reverses, for the caller's realm check; null when it names none. */
    public String reversalOf(C command) {
        return null;
    }

    /** The realm a command creates something in (an account), for the caller's realm check; null for none. */
    public Realm createsIn(C command) {
        return null;
    }

    /**
     * Runs the command for a caller: the one realm check of every kind (SPEC section 8), then the service. An account
     * of a realm the caller may not touch answers as an unknown account; creating one there is forbidden.
     */
    public final R execute(CreditsServices services, Scope scope, C command, boolean explain) {
        admit(services, scope, command);
        return execute(services, command, explain);
    }

    /** The realm check of {@link #execute(CreditsServices, Scope, Record, boolean)} alone (a batch's events). */
    public final void admit(CreditsServices services, Scope scope, C command) {
        scope.admitCreation(createsIn(command));
        scope.admitAccount(services.accounts(), accountOf(command));
        scope.admitHold(services, holdOf(command));
        scope.admitReversal(services, reversalOf(command));
        services.limits().admitEventTime("occurredAt", eventTime(command));
    }

    /**
     * The instant of the event a request reports (a call, a hold, its settlement), bounded by the server clock
     * ({@code credits.limits.future-skew}); null for a kind that reports none.
     */
    public Instant eventTime(C command) {
        return null;
    }

    /** The instant a scenario's clock moves to before this step runs; null leaves it. */
    public Instant clockAt(C command) {
        return null;
    }

    /** The answer as a JSON tree shaped the way a step's {@code expect} writes it. */
    public JsonNode comparable(R result) {
        JsonNode tree = JSON.valueToTree(result instanceof Answer<?> a ? a.body() : result);
        return listAsMap == null ? tree : StepForm.byKey(tree, listAsMap);
    }

    /** The command a scenario step says: the HTTP body's fields, with {@code account} (or {@code id}) for the id. */
    public final C fromStep(ObjectNode stepBody) {
        StepForm.Read read = StepForm.read(accountField, stepBody);
        return parse(read.id(), read.body());
    }

    /** A command as a scenario step body: its fields in order, nulls left out, the account id as the step names it. */
    public ObjectNode toStep(C command) {
        return StepForm.write(accountField, JSON.valueToTree(command), accountKey());
    }

    /** A request as it was stored: the command and the answer it got. */
    public record Stored<C, R>(C command, R result) {
    }

    /** The stored request an account event refers to ({@code ref}: its lot, plan change or request id). */
    public Stored<C, R> stored(CreditsServices services, String accountId, String ref) {
        throw new UnsupportedOperationException(step + " requests are not stored");
    }

    /** What {@code record} expects of a stored request: the keys of its answer that it records; null for none. */
    public final ObjectNode recordedExpect(R result) {
        if (recordedKeys.isEmpty()) {
            return null;
        }
        JsonNode answer = comparable(result);
        ObjectNode expect = JSON.createObjectNode();
        for (String key : recordedKeys) {
            // a key the answer leaves out (the price of a call in credits) is not expected either
            if (answer.has(key)) {
                expect.set(key, answer.get(key));
            }
        }
        return expect;
    }

    /** The expect keys a step of this kind may give (sorted). */
    public Set<String> expectKeys() {
        return expectKeys;
    }

    /** Null when the key may be expected, else why not (e.g. an unknown field of a lot). */
    public String refuseExpectKey(String key, JsonNode value) {
        if (key.equals(EVENTS_KEY)) {
            return value.isArray() ? null : "expect 'events' is a list of the events the step raises, e.g. "
                    + "[balance.low] or [credits.expiring pack-1@2026-07-10T00:00:00Z] ([] for none)";
        }
        return expectKeys.contains(key) ? null : "unknown expect key '" + key + "' for a " + step + " step; allowed: "
                + String.join(", ", expectKeys) + ", " + EVENTS_KEY;
    }

    /** Every step may expect the events it raises (SPEC section 11), in the order raised. */
    public static final String EVENTS_KEY = "events";

    /** The keys of {@code expect} whose map must match exactly (no lot missing, none extra). */
    public Set<String> exactMaps() {
        return listAsMap == null ? Set.of() : Set.of(listAsMap.field());
    }

    String accountKey() {
        return accountField == AccountField.ID ? "id" : "account";
    }
}

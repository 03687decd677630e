package dev.creditspolicy.replay;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.service.Problem;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.AllocationRow;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Rows.EventRow;
import dev.creditspolicy.store.Rows.ExpiryChangeRow;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.PlanChangeRow;
import dev.creditspolicy.store.Rows.PlanPeriodRow;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.store.Store.Tx;

/**
 * An account's stored history as a scenario: its requests in the order they were applied, each usage and plan
 * change with the answer it got as the expectation. What {@code record} writes and {@code rules impact} replays.
 */
public final class History {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private History() {
    }

    public static List<String> accounts(Store store) {
        return store.inTransaction(tx -> tx.accounts().allIds());
    }

    public static Scenario of(Store store, String accountId) {
        return store.inTransaction(tx -> {
            AccountRow account = tx.accounts().find(accountId).orElseThrow(() -> Problem.unknownAccount(accountId));
            List<PlanPeriodRow> plans = tx.accounts().planHistory(accountId);
            List<Scenario.Step> steps = new ArrayList<>();
            for (EventRow e : tx.accounts().events(accountId)) {
                int index = steps.size() + 1;
                steps.add(switch (e.kind()) {
                    case ACCOUNT -> step(index, "account", obj("id", accountId, "realm", account.realm(),
                            "plan", plans.get(0).plan(), "at", account.createdAt()), null);
                    case CYCLE -> {
                        LotRow l = tx.lots().find(e.ref()).orElseThrow();
                        yield step(index, "cycle", obj("account", accountId, "plan", l.plan(), "start",
                                l.effectiveAt(), "end", l.initialExpiresAt(), "credits", l.amount(), "lotId",
                                l.lotId()), null);
                    }
                    case GRANT -> {
                        LotRow l = tx.lots().find(e.ref()).orElseThrow();
                        yield step(index, "grant", obj("account", accountId, "lotId", l.lotId(), "source",
                                l.source(), "amount", l.amount(), "effectiveAt", l.effectiveAt(), "expiresAt",
                                l.initialExpiresAt(), "reason", l.reason(), "originProduct", l.originProduct()),
                                null);
                    }
                    case PLAN_CHANGE -> planChange(tx, index, accountId, Long.parseLong(e.ref()));
                    case USAGE -> usage(tx, index, accountId, e.ref());
                });
            }
            return new Scenario("account " + accountId, "recorded history of account " + accountId, steps);
        });
    }

    private static Scenario.Step planChange(Tx tx, int index, String accountId, long changeId) {
        PlanChangeRow c = tx.planChanges().ofAccount(accountId).stream()
                .filter(r -> r.changeId() == changeId).findFirst().orElseThrow();
        ObjectNode changes = NODES.objectNode();
        for (ExpiryChangeRow x : tx.planChanges().expiryChanges(changeId)) {
            changes.put(x.lotId(), x.newExpiresAt().toString());
        }
        ObjectNode expect = NODES.objectNode();
        expect.set("expiryChanges", changes);
        return step(index, "planChange", obj("account", accountId, "kind", c.kind(), "toPlan", c.toPlan(), "at",
                c.changedAt()), expect);
    }

    private static Scenario.Step usage(Tx tx, int index, String accountId, String requestId) {
        DecisionRow d = tx.usage().find(requestId).orElseThrow();
        ObjectNode allocations = NODES.objectNode();
        for (AllocationRow a : tx.usage().allocations(requestId)) {
            allocations.put(a.lotId(), a.amount());
        }
        ObjectNode expect = obj("status", d.status(), "reason", d.reason(), "charged", d.charged(),
                "shortfall", d.shortfall());
        expect.set("allocations", allocations);
        return step(index, "usage", obj("requestId", requestId, "account", accountId, "product", d.product(),
                "feature", d.feature(), "model", d.model(), "outcome", d.outcome(), "credits", d.credits(),
                "occurredAt", d.occurredAt()), expect);
    }

    private static Scenario.Step step(int index, String kind, ObjectNode body, ObjectNode expect) {
        return new Scenario.Step(index, 0, kind, body, expect, 0);
    }

    /** An object of the given key/value pairs; nulls are left out, instants written ISO-8601, amounts exact. */
    private static ObjectNode obj(Object... kv) {
        ObjectNode o = NODES.objectNode();
        for (int i = 0; i < kv.length; i += 2) {
            String key = (String) kv[i];
            Object v = kv[i + 1];
            if (v instanceof BigDecimal d) {
                o.put(key, d);
            } else if (v instanceof Instant t) {
                o.put(key, t.toString());
            } else if (v != null) {
                o.put(key, v.toString());
            }
        }
        return o;
    }
}

package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands.Tokens;
import dev.creditspolicy.store.Rows.AllocationRow;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Rows.PriceRow;
import dev.creditspolicy.store.Store.Tx;

/**
 * The rows that store one usage decision, a call's (batched by {@link UsageService}) or a hold's commit
 * ({@link HoldService}): the decision row, its allocations, and the price beside it when the call was priced.
 */
record DecisionRows(DecisionRow decision, List<AllocationRow> allocations, PriceRow price) {

    /** The rows of decision {@code d}; its allocations must add up to what it charged (else nothing is written). */
    static DecisionRows of(String requestId, String accountId, Realm realm, Product product, Feature feature,
                           String model, Outcome outcome, BigDecimal cost, Instant occurredAt, Plan plan,
                           UsageDecision d, String hash, Instant recordedAt, Tokens tokens) {
        DecisionRow row = new DecisionRow(requestId, accountId, realm, product, feature, model, outcome, cost,
                occurredAt, plan, d.status(), d.reason(), d.charged(), d.shortfall(), d.balanceAfter(),
                d.rulesVersion(), String.join("\n", d.firedRules()), hash, recordedAt);
        List<AllocationRow> allocations = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Allocation a : d.allocations()) {
            allocations.add(new AllocationRow(requestId, allocations.size() + 1, a.lotId(), a.type(), a.amount()));
            total = total.add(a.amount());
        }
        if (total.compareTo(d.charged()) != 0) {
            throw new IllegalStateException("allocations " + total + " differ from charged " + d.charged());
        }
        return new DecisionRows(row, allocations, Pricing.row(tokens, d));
    }

    /** What the decision draws from each lot. */
    Map<String, BigDecimal> drawn() {
        Map<String, BigDecimal> drawn = new LinkedHashMap<>();
        allocations.forEach(a -> drawn.merge(a.lotId(), a.amount(), BigDecimal::add));
        return drawn;
    }

    /** Writes this one decision: its row, its lots' guarded decrements, its allocations and its price. */
    void write(Tx tx) {
        tx.usage().insert(decision);
        deducted(tx.lots().deductAll(drawn()));
        tx.usage().insertAllocations(allocations);
        if (price != null) {
            tx.prices().insertUsage(decision.requestId(), price);
        }
    }

    /** Every guarded decrement updated its lot; otherwise roll back rather than overdraw. */
    static void deducted(int[] updated) {
        for (int n : updated) {
            if (n != 1) {
                // cannot happen under the accounts' locks; if it does, the transaction rolls back
                throw new IllegalStateException("a lot holds less than is drawn on it");
            }
        }
    }
}

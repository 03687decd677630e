package dev.creditspolicy.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.service.Views.DecisionEntry;
import dev.creditspolicy.service.Views.ReversalView;
import dev.creditspolicy.service.Views.UsageRecord;
import dev.creditspolicy.store.Rows.AllocationRow;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Rows.PriceRow;
import dev.creditspolicy.store.Rows.ReversalRow;
import dev.creditspolicy.store.Store.Tx;

/**
 * Stored decisions read back as they were answered ({@code GET /v1/usage/{requestId}}, the per-call ledger): each
 * with its allocations, its price when it was priced, and its reversal when it has one. A page of them costs four
 * queries, whatever its length.
 */
final class DecisionRecords {
    private DecisionRecords() {
    }

    /** The decisions of these rows, in their order, each with its reversal beside it. */
    static List<UsageRecord> of(Tx tx, List<DecisionRow> rows) {
        List<String> ids = rows.stream().map(DecisionRow::requestId).toList();
        Map<String, ReversalView> reversals = reversals(tx, ids);
        return decisions(tx, rows).stream().map(d -> new UsageRecord(d, reversals.get(d.requestId()))).toList();
    }

    /** The ledger's lines of these rows: each call's facts beside its decision and reversal, in their order. */
    static List<DecisionEntry> entries(Tx tx, List<DecisionRow> rows) {
        List<UsageRecord> records = of(tx, rows);
        List<DecisionEntry> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            DecisionRow r = rows.get(i);
            out.add(new DecisionEntry(r.occurredAt(), r.product(), r.feature(), r.model(), records.get(i)));
        }
        return out;
    }

    /** The decision of this row as answered. */
    static UsageDecision decision(Tx tx, DecisionRow row) {
        return decisions(tx, List.of(row)).get(0);
    }

    /** The decisions of these rows as answered, in their order. */
    static List<UsageDecision> decisions(Tx tx, List<DecisionRow> rows) {
        List<String> ids = rows.stream().map(DecisionRow::requestId).toList();
        Map<String, List<Allocation>> allocations = byRequest(tx.usage().allocationsOf(ids));
        Map<String, PriceRow> prices = tx.prices().ofUsages(ids);
        List<UsageDecision> out = new ArrayList<>();
        for (DecisionRow r : rows) {
            PriceRow price = prices.get(r.requestId());
            out.add(new UsageDecision(r.requestId(), r.status(), r.reason(), r.charged(), r.shortfall(),
                    allocations.getOrDefault(r.requestId(), List.of()), r.balanceAfter(), r.rulesVersion(),
                    Accounts.splitRules(r.firedRules()), price == null ? null : price.breakdown()));
        }
        return out;
    }

    /** The reversals of these decisions (those reversed), by request id, as a reversal answered. */
    static Map<String, ReversalView> reversals(Tx tx, List<String> requestIds) {
        Map<String, ReversalRow> rows = tx.corrections().reversalsOf(requestIds);
        Map<String, List<Allocation>> allocations = byRequest(tx.corrections().reversalAllocationsOf(rows.keySet()));
        Map<String, ReversalView> out = new HashMap<>();
        rows.forEach((id, r) -> out.put(id, new ReversalView(id, "REVERSED", r.reversed(),
                allocations.getOrDefault(id, List.of()), r.reversedAt(), r.reason(), r.forfeited(),
                r.rulesVersion(), Accounts.splitRules(r.firedRules()))));
        return out;
    }

    private static Map<String, List<Allocation>> byRequest(List<AllocationRow> rows) {
        Map<String, List<Allocation>> out = new HashMap<>();
        rows.forEach(a -> out.computeIfAbsent(a.requestId(), k -> new ArrayList<>())
                .add(new Allocation(a.lotId(), a.lotType(), a.amount())));
        return out;
    }
}

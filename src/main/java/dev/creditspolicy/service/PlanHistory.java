package dev.creditspolicy.service;

import java.time.Instant;
import java.util.List;

import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.store.Rows.PlanPeriodRow;
import dev.creditspolicy.store.Store.Tx;

/** An account's plan periods, read once per request, in the order they were recorded. */
record PlanHistory(List<PlanPeriodRow> periods) {

    static PlanHistory of(Tx tx, String accountId) {
        return new PlanHistory(tx.accounts().planHistory(accountId));
    }

    /**
     * The plan the account was on at {@code t}: the last period starting at or before it. Before the first period
     * (a call dated before the account was created) the first plan counts: there is no other to apply.
     */
    Plan at(Instant t) {
        Plan plan = periods.get(0).plan();
        for (PlanPeriodRow p : periods) {
            if (!p.effectiveAt().isAfter(t)) {
                plan = p.plan();
            }
        }
        return plan;
    }

    /** The latest period: the plan the account is on as requests arrive. */
    PlanPeriodRow latest() {
        return periods.get(periods.size() - 1);
    }
}

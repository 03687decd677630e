package dev.creditspolicy.events;

import java.time.Instant;
import java.util.List;

import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.store.Rows.LotRow;

/**
 * A change of an account, as alerts.drl is asked about it: which change ({@code kind} and {@code ref}, e.g. USAGE
 * and the request id: with the event type and subject they make an event's stable id), its event time {@code at},
 * the plan then, the lots available then after the change ({@code available}: remaining minus held), and the facts
 * of what the change itself did (ExpiryShortened, LotVoided, UsageReversed, HoldExpired).
 */
public record AccountChange(String accountId, Realm realm, Plan plan, String kind, String ref, Instant at,
                            List<LotRow> available, List<Object> did) {
}

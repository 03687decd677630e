package dev.creditspolicy.policy.facts;

/**
 * The events the service raises about an account (SPEC section 11), declared once: alerts.drl concludes them, the
 * outbox stores their {@link #wire() wire name}, webhooks subscribe to them, and the API documents them from here.
 */
public enum EventType {
    BALANCE_LOW("balance.low", "the available credits of a type fell below the threshold the rules set for the plan"),
    BALANCE_RECOVERED("balance.recovered", "the available credits of a type rose above that threshold again"),
    BALANCE_DEPLETED("balance.depleted", "the account's available credits (all types) fell to zero"),
    CREDITS_EXPIRING("credits.expiring",
            "a lot with credits left expires within the rules' horizon; carries the amount forecast to expire unused"),
    LOT_EXPIRY_SHORTENED("lot.expiry-shortened", "a lot's expiry was brought forward (plan upgrade or void)"),
    LOT_VOIDED("lot.voided", "a lot was voided"),
    HOLD_EXPIRED("hold.expired", "a hold was neither committed nor released before its expiry"),
    USAGE_REVERSED("usage.reversed", "a charge was reversed and its credits went back to their lots");

    private final String wire;
    private final String description;

    EventType(String wire, String description) {
        this.wire = wire;
        this.description = description;
    }

    /** The name receivers see in the envelope's {@code type}. */
    public String wire() {
        return wire;
    }

    public String description() {
        return description;
    }

    /** @throws IllegalArgumentException for a name that is no event type */
    public static EventType ofWire(String wire) {
        for (EventType t : values()) {
            if (t.wire.equals(wire)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event type '" + wire + "'");
    }
}

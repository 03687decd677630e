package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;

/**
 * Conclusion of alerts.drl: raise an event of {@code type} about {@code about}; {@code threshold} is the limit a
 * balance crossed (null for the other events).
 */
public record Raise(EventType type, EventSubject about, BigDecimal threshold) implements Conclusions {

    public Raise(EventType type, EventSubject about) {
        this(type, about, null);
    }
}

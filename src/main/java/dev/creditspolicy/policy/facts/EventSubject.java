package dev.creditspolicy.policy.facts;

import java.util.Map;

/** A fact an event can be about: it names its subject (unique per event type within a change) and its data. */
public interface EventSubject {
    /** What the event is about (a lot id, a hold id, a credit kind): part of the event's stable id. */
    String subject();

    /** The event's {@code data}, in the envelope's field order. */
    Map<String, Object> data();
}

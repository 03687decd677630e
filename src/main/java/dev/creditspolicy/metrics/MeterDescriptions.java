package dev.creditspolicy.metrics;

import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Descriptions for the meters registered without one (their HELP line in /actuator/prometheus would be empty), in
 * one place rather than in each service that counts: a filter that fills in the description of a meter by name. A
 * meter that has a description keeps it.
 */
final class MeterDescriptions implements MeterFilter {
    static final Map<String, String> MISSING = Map.ofEntries(
            Map.entry("credits.decisions", "usage decisions stored (not replays), by status and reason"),
            Map.entry("credits.decisions.by.caller", "usage decisions stored over HTTP, by realm, caller role and "
                    + "status"),
            Map.entry("credits.holds.batch.fallbacks", "hold batches whose transaction failed, their requests then "
                    + "run one by one"),
            Map.entry("http.server.requests", "HTTP requests answered, by method, uri template, status and outcome"),
            Map.entry("http.server.requests.active", "HTTP requests being answered now"),
            Map.entry("tomcat.sessions.active.current", "Tomcat sessions open (the API is stateless: 0)"),
            Map.entry("tomcat.sessions.active.max", "most Tomcat sessions open at once"),
            Map.entry("tomcat.sessions.alive.max", "longest a Tomcat session lived"),
            Map.entry("tomcat.sessions.created", "Tomcat sessions created"),
            Map.entry("tomcat.sessions.expired", "Tomcat sessions expired"),
            Map.entry("tomcat.sessions.rejected", "Tomcat sessions refused for being over the maximum"));

    @Override
    public Meter.Id map(Meter.Id id) {
        String description = MISSING.get(id.getName());
        if (description == null || id.getDescription() != null && !id.getDescription().isBlank()) {
            return id;
        }
        return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()),
                id.getBaseUnit(), description, id.getType());
    }
}

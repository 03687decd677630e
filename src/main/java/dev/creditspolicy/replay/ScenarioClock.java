package dev.creditspolicy.replay;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Scenario time: moves forward to the latest instant a step names, so "now" is always part of the file. */
final class ScenarioClock extends Clock {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private Instant now = START;

    void advanceTo(Instant t) {
        if (t != null && t.isAfter(now)) {
            now = t;
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}

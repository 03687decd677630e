package dev.creditspolicy.service;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneOffsetTransitionRule;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Whether a zone's offsets are all whole quarter hours (every zone in use today; some before 1980 were not, e.g.
 * Liberia's -0:44:30), so that the usage report may group calls by quarter hour in the database and fold those into
 * the zone's days: a quarter hour then never straddles midnight. Reads the zone's finite lists of transitions and
 * yearly rules, never the years of the range one by one.
 */
final class QuarterHours {
    private static final int QUARTER_HOUR_SECONDS = 900;

    private QuarterHours() {
    }

    /** Whether every offset {@code zone} has in [from, to) is a whole number of quarter hours. */
    static boolean whole(ZoneId zone, Instant from, Instant to) {
        ZoneRules rules = zone.getRules();
        if (!whole(rules.getOffset(from))) {
            return false;
        }
        List<ZoneOffsetTransition> past = rules.getTransitions();
        for (ZoneOffsetTransition t : past) {
            if (t.getInstant().isAfter(from) && t.getInstant().isBefore(to) && !whole(t.getOffsetAfter())) {
                return false;
            }
        }
        boolean beyondThePast = past.isEmpty() || to.isAfter(past.get(past.size() - 1).getInstant());
        if (beyondThePast) { // the yearly rules (daylight saving) apply after the last listed transition
            for (ZoneOffsetTransitionRule r : rules.getTransitionRules()) {
                if (!whole(r.getOffsetBefore()) || !whole(r.getOffsetAfter())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean whole(ZoneOffset offset) {
        return offset.getTotalSeconds() % QUARTER_HOUR_SECONDS == 0;
    }
}

package dev.creditspolicy.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The auditor of the concurrency tests: reads the ledger back over SQL after a concurrent workload and checks the
 * invariants of SPEC section 3 against the database and against what the clients were answered.
 *
 * <p>The serial-order check assumes every lot of an account can pay every call of the workload (personal plan,
 * shared products, all lots active at the calls' occurredAt): then an account's balance before a decision is its
 * total credits minus what the decisions applied before it (in the order of the account lock, i.e. of
 * {@code account_events}) charged, and each decision must be exactly what a serial execution would have decided.
 */
final class LedgerInvariants {
    private LedgerInvariants() {
    }

    /** What a client was answered for one request id (by whichever of its sends got there first). */
    record Answered(String accountId, String status, BigDecimal charged, BigDecimal shortfall,
                    BigDecimal balanceAfter) {
    }

    /** What the ledger holds once the checks pass. */
    record Summary(int lots, int decisions, Map<String, Integer> byStatus, BigDecimal totalCharged,
                   Map<String, BigDecimal> remainingByAccount) {
    }

    private record Decision(String requestId, String accountId, String status, BigDecimal credits,
                            BigDecimal charged, BigDecimal shortfall, BigDecimal balanceAfter) {
    }

    static Summary check(Jdbi jdbi, Map<String, Answered> answered) {
        return jdbi.withHandle(h -> {
            int lots = checkLots(h);
            Map<String, Decision> decisions = decisions(h);
            checkAnswersStored(decisions, answered);
            checkAllocations(h, decisions);
            BigDecimal total = checkTotals(h, answered);
            checkSerialOrder(h, decisions);
            Map<String, Integer> byStatus = new TreeMap<>();
            decisions.values().forEach(d -> byStatus.merge(d.status(), 1, Integer::sum));
            Map<String, BigDecimal> remaining = new TreeMap<>();
            h.createQuery("SELECT account_id, SUM(remaining) AS r FROM lots GROUP BY account_id")
                    .map((rs, ctx) -> remaining.put(rs.getString("account_id"), rs.getBigDecimal("r"))).list();
            return new Summary(lots, decisions.size(), byStatus, total, remaining);
        });
    }

    /**
     * {@code 0 <= remaining <= amount}, and {@code amount - remaining} is exactly what was allocated from the lot
     * minus what reversals gave back to it (SPEC section 7).
     */
    private static int checkLots(Handle h) {
        List<String> bad = h.createQuery("SELECT l.lot_id, l.amount, l.remaining, "
                        + "(SELECT COALESCE(SUM(a.amount), 0) FROM allocations a WHERE a.lot_id = l.lot_id) - "
                        + "(SELECT COALESCE(SUM(r.amount), 0) FROM reversal_allocations r WHERE r.lot_id = l.lot_id) "
                        + "AS used FROM lots l ORDER BY l.lot_id")
                .map((rs, ctx) -> {
                    BigDecimal amount = rs.getBigDecimal("amount");
                    BigDecimal remaining = rs.getBigDecimal("remaining");
                    BigDecimal used = rs.getBigDecimal("used");
                    boolean ok = remaining.signum() >= 0 && remaining.compareTo(amount) <= 0
                            && amount.subtract(remaining).compareTo(used) == 0;
                    return ok ? null : rs.getString("lot_id") + ": amount " + amount + ", remaining " + remaining
                            + ", allocated minus reversed " + used;
                })
                .list().stream().filter(s -> s != null).toList();
        assertEquals(List.of(), bad, "lots that are overdrawn or whose allocations do not add up");
        int lots = h.createQuery("SELECT COUNT(*) FROM lots").mapTo(Integer.class).one();
        assertTrue(lots > 0, "no lots: the workload had nothing to draw on");
        return lots;
    }

    private static Map<String, Decision> decisions(Handle h) {
        List<String> twice = h.createQuery("SELECT request_id FROM usage_decisions GROUP BY request_id "
                + "HAVING COUNT(*) > 1").mapTo(String.class).list();
        assertEquals(List.of(), twice, "request ids decided more than once");
        Map<String, Decision> decisions = new HashMap<>();
        h.createQuery("SELECT request_id, account_id, status, credits, charged, shortfall, balance_after "
                        + "FROM usage_decisions")
                .map((rs, ctx) -> new Decision(rs.getString("request_id"), rs.getString("account_id"),
                        rs.getString("status"), rs.getBigDecimal("credits"), rs.getBigDecimal("charged"),
                        rs.getBigDecimal("shortfall"), rs.getBigDecimal("balance_after")))
                .forEach(d -> decisions.put(d.requestId(), d));
        return decisions;
    }

    /** Every answered request id is stored once, as answered; nothing is stored that nobody was answered. */
    private static void checkAnswersStored(Map<String, Decision> decisions, Map<String, Answered> answered) {
        assertEquals(answered.keySet(), decisions.keySet(), "request ids stored versus request ids answered");
        List<String> differ = new ArrayList<>();
        answered.forEach((id, a) -> {
            Decision d = decisions.get(id);
            if (!a.accountId().equals(d.accountId()) || !a.status().equals(d.status())
                    || a.charged().compareTo(d.charged()) != 0 || a.shortfall().compareTo(d.shortfall()) != 0
                    || a.balanceAfter().compareTo(d.balanceAfter()) != 0) {
                differ.add(id + ": answered " + a + ", stored " + d);
            }
        });
        assertEquals(List.of(), differ, "decisions stored differently from how they were answered");
    }

    /** A CHARGED decision's allocations add up to its charge; any other decision charges and allocates nothing. */
    private static void checkAllocations(Handle h, Map<String, Decision> decisions) {
        Map<String, BigDecimal> allocated = new HashMap<>();
        h.createQuery("SELECT request_id, SUM(amount) AS s FROM allocations GROUP BY request_id")
                .map((rs, ctx) -> allocated.put(rs.getString("request_id"), rs.getBigDecimal("s"))).list();
        List<String> bad = new ArrayList<>();
        for (Decision d : decisions.values()) {
            BigDecimal a = allocated.getOrDefault(d.requestId(), BigDecimal.ZERO);
            boolean charged = d.status().equals("CHARGED");
            if (a.compareTo(d.charged()) != 0 || (charged && d.charged().signum() <= 0)
                    || (!charged && d.charged().signum() != 0)) {
                bad.add(d.requestId() + " " + d.status() + " charged " + d.charged() + ", allocated " + a);
            }
        }
        assertEquals(List.of(), bad, "decisions whose allocations differ from their charge");
    }

    /**
     * What the lots lost == what CHARGED decisions charged minus what reversals gave back; what was charged == what
     * was allocated == what clients were told.
     */
    private static BigDecimal checkTotals(Handle h, Map<String, Answered> answered) {
        BigDecimal drawn = sum(h, "SELECT COALESCE(SUM(amount - remaining), 0) FROM lots")
                .add(sum(h, "SELECT COALESCE(SUM(reversed), 0) FROM usage_reversals"));
        BigDecimal charged = sum(h, "SELECT COALESCE(SUM(charged), 0) FROM usage_decisions WHERE status = 'CHARGED'");
        BigDecimal allocations = sum(h, "SELECT COALESCE(SUM(amount), 0) FROM allocations");
        BigDecimal told = answered.values().stream().filter(a -> a.status().equals("CHARGED"))
                .map(Answered::charged).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, drawn.compareTo(charged), () -> "drawn from lots " + drawn + " vs charged " + charged);
        assertEquals(0, charged.compareTo(allocations), () -> "charged " + charged + " vs allocated " + allocations);
        assertEquals(0, charged.compareTo(told), () -> "charged " + charged + " vs answered to clients " + told);
        return charged;
    }

    /**
     * Replays each account's decisions in lock order: each must be what a serial execution would decide. A reversal
     * (its REVERSAL event, in the same order) gives its credits back to the balance the next decisions see.
     */
    private static void checkSerialOrder(Handle h, Map<String, Decision> decisions) {
        Map<String, BigDecimal> balance = new HashMap<>();
        h.createQuery("SELECT account_id, SUM(amount) AS total FROM lots GROUP BY account_id")
                .map((rs, ctx) -> balance.put(rs.getString("account_id"), rs.getBigDecimal("total"))).list();
        Map<String, BigDecimal> reversed = new HashMap<>();
        h.createQuery("SELECT request_id, reversed FROM usage_reversals")
                .map((rs, ctx) -> reversed.put(rs.getString("request_id"), rs.getBigDecimal("reversed"))).list();
        List<Map.Entry<String, String>> events = h.createQuery("SELECT kind, ref FROM account_events "
                        + "WHERE kind IN ('USAGE', 'REVERSAL') ORDER BY event_id")
                .map((rs, ctx) -> Map.entry(rs.getString("kind"), rs.getString("ref"))).list();
        List<String> order = events.stream().filter(e -> e.getKey().equals("USAGE")).map(Map.Entry::getValue).toList();
        assertEquals(decisions.size(), order.size(), "one USAGE event per decision");
        assertEquals(reversed.size(), events.size() - order.size(), "one REVERSAL event per reversal");
        for (Map.Entry<String, String> event : events) {
            String id = event.getValue();
            if (event.getKey().equals("REVERSAL")) {
                Decision d = decisions.get(id);
                balance.merge(d.accountId(), reversed.get(id), BigDecimal::add);
                continue;
            }
            Decision d = decisions.get(id);
            if (d == null) {
                fail("USAGE event for " + id + " without a decision");
            }
            BigDecimal before = balance.getOrDefault(d.accountId(), BigDecimal.ZERO);
            String why = switch (d.status()) {
                case "CHARGED" -> d.credits().compareTo(before) <= 0 && d.charged().compareTo(d.credits()) == 0
                        && d.balanceAfter().compareTo(before.subtract(d.credits())) == 0 ? null
                        : "charged with a balance of " + before;
                case "INSUFFICIENT" -> d.credits().compareTo(before) > 0
                        && d.shortfall().compareTo(d.credits().subtract(before)) == 0
                        && d.balanceAfter().compareTo(before) == 0 ? null
                        : "refused with a balance of " + before;
                case "EXEMPT" -> d.balanceAfter().compareTo(before) == 0 ? null : "exempt with a balance of " + before;
                default -> "unknown status";
            };
            if (why != null) {
                fail("decision " + d + " is not what a serial execution decides: " + why);
            }
            balance.put(d.accountId(), before.subtract(d.charged()));
        }
    }

    /**
     * SPEC section 7: every reversal a client was answered is stored once, as answered, and nothing else is; each
     * reverses a CHARGED decision, gives back exactly its allocations, and has one REVERSAL event.
     */
    static void checkReversals(Jdbi jdbi, Map<String, BigDecimal> answered) {
        jdbi.useHandle(h -> {
            Map<String, BigDecimal> stored = new TreeMap<>();
            h.createQuery("SELECT request_id, reversed FROM usage_reversals")
                    .map((rs, ctx) -> stored.put(rs.getString("request_id"), rs.getBigDecimal("reversed"))).list();
            assertEquals(new TreeMap<>(answered).keySet(), stored.keySet(), "reversals stored versus answered");
            List<String> differ = new ArrayList<>();
            answered.forEach((id, amount) -> {
                if (stored.get(id).compareTo(amount) != 0) {
                    differ.add(id + ": answered " + amount + ", stored " + stored.get(id));
                }
            });
            assertEquals(List.of(), differ, "reversals stored differently from how they were answered");
            assertEquals(List.of(), h.createQuery("SELECT r.request_id FROM usage_reversals r JOIN usage_decisions d "
                    + "ON d.request_id = r.request_id WHERE d.status <> 'CHARGED' OR r.reversed + r.forfeited <> d.charged "
                    + "OR r.reversed <> (SELECT COALESCE(SUM(a.amount), 0) FROM reversal_allocations a "
                    + "WHERE a.request_id = r.request_id)").mapTo(String.class).list(),
                    "reversals that do not give back exactly their decision's charge");
            assertEquals(List.of(), h.createQuery("SELECT ref FROM account_events WHERE kind = 'REVERSAL' "
                    + "GROUP BY ref HAVING COUNT(*) > 1").mapTo(String.class).list(), "decisions reversed twice");
        });
    }

    /** What the ledger holds of holds once {@link #checkHolds} passes. */
    record HoldSummary(int holds, Map<String, Integer> byState, BigDecimal charged, BigDecimal openHeld) {
    }

    /**
     * The invariants of SPEC section 6 after a workload of holds, commits, releases and usage: every lot as in
     * section 3, no lot reserved beyond what remains ({@link #overReserved}), a hold's allocations are what it holds,
     * a hold is settled at most once (a committed hold has exactly its decision, no other hold has one, one
     * settlement event), every commit's charge equals its allocations and is what its client was answered.
     */
    static HoldSummary checkHolds(Jdbi jdbi, Map<String, BigDecimal> committedAnswered) {
        return jdbi.withHandle(h -> {
            checkLots(h);
            Map<String, Decision> decisions = decisions(h);
            checkAllocations(h, decisions);
            assertEquals(List.of(), overReserved(h), "lots whose open holds reserve more than remains");
            assertEquals(List.of(), h.createQuery("SELECT h.hold_id FROM holds h LEFT JOIN hold_allocations a "
                    + "ON a.hold_id = h.hold_id GROUP BY h.hold_id, h.held "
                    + "HAVING h.held <> COALESCE(SUM(a.amount), 0)").mapTo(String.class).list(),
                    "holds whose allocations differ from what they hold");
            assertEquals(List.of(), h.createQuery("SELECT h.hold_id FROM holds h LEFT JOIN usage_decisions d "
                    + "ON d.request_id = h.hold_id WHERE (h.state = 'COMMITTED') <> (d.request_id IS NOT NULL)")
                    .mapTo(String.class).list(), "committed holds without their decision, or other holds with one");
            assertEquals(List.of(), h.createQuery("SELECT ref FROM account_events WHERE kind IN ('HOLD_COMMIT', "
                    + "'HOLD_RELEASE') GROUP BY ref HAVING COUNT(*) > 1").mapTo(String.class).list(),
                    "holds settled more than once");
            List<String> differ = new ArrayList<>();
            committedAnswered.forEach((id, charged) -> {
                Decision d = decisions.get(id);
                if (d == null || d.charged().compareTo(charged) != 0) {
                    differ.add(id + ": answered " + charged + ", stored " + d);
                }
            });
            assertEquals(List.of(), differ, "commits stored differently from how they were answered");
            BigDecimal drawn = sum(h, "SELECT COALESCE(SUM(amount - remaining), 0) FROM lots")
                    .add(sum(h, "SELECT COALESCE(SUM(reversed), 0) FROM usage_reversals"));
            BigDecimal charged = sum(h, "SELECT COALESCE(SUM(charged), 0) FROM usage_decisions");
            assertEquals(0, drawn.compareTo(charged), () -> "drawn from lots " + drawn + " vs charged " + charged);
            Map<String, Integer> byState = new TreeMap<>();
            h.createQuery("SELECT state, COUNT(*) AS n FROM holds GROUP BY state")
                    .map((rs, ctx) -> byState.put(rs.getString("state"), rs.getInt("n"))).list();
            int holds = byState.values().stream().mapToInt(Integer::intValue).sum();
            BigDecimal openHeld = sum(h, "SELECT COALESCE(SUM(held), 0) FROM holds WHERE state = 'OPEN'");
            return new HoldSummary(holds, byState, charged, openHeld);
        });
    }

    /** Lots whose open holds (not settled, not marked expired) reserve more than they have left. */
    static List<String> overReserved(Handle h) {
        return h.createQuery("SELECT l.lot_id FROM lots l JOIN hold_allocations a ON a.lot_id = l.lot_id "
                + "JOIN holds h ON h.hold_id = a.hold_id AND h.state = 'OPEN' "
                + "GROUP BY l.lot_id, l.remaining HAVING l.remaining - SUM(a.amount) < 0")
                .mapTo(String.class).list();
    }

    private static BigDecimal sum(Handle h, String sql) {
        return h.createQuery(sql).mapTo(BigDecimal.class).one();
    }
}

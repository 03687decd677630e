package dev.creditspolicy.cli;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The {@code usage} command's text: plan and cycle, the Credits card, the usage of a period, in aligned columns
 * that fit 80 characters (long group keys are cut with "~"). Times in {@code zone} with their offset; amounts
 * with the API's 4 decimals.
 */
final class UsageCard {
    static final int WIDTH = 80;
    private static final Map<String, String> TYPES = Map.of("PLAN", "Plan credits", "ADDON", "Add-on credits");
    private final ZoneId zone;

    UsageCard(ZoneId zone) {
        this.zone = zone;
    }

    String render(JsonNode subscription, JsonNode balance, JsonNode usage) {
        StringBuilder b = new StringBuilder();
        b.append("Account ").append(subscription.path("accountId").asString()).append(" (")
                .append(subscription.path("realm").asString()).append("), as of ")
                .append(UsageCommand.time(subscription.path("at"), zone)).append('\n');
        b.append(String.format("%-8s %s%n", "Plan", subscription.path("plan").asString()));
        JsonNode cycle = subscription.path("cycle");
        if (cycle.isObject()) {
            b.append(String.format("%-8s %s to %s%n", "Cycle", UsageCommand.time(cycle.path("start"), zone),
                    UsageCommand.time(cycle.path("end"), zone)));
            if (!cycle.path("end").asString().equals(cycle.path("endsAt").asString())) {
                b.append(String.format("%-8s ends early, at %s%n", "", UsageCommand.time(cycle.path("endsAt"), zone)));
            }
        } else {
            b.append(String.format("%-8s %s%n", "Cycle", "none in force"));
        }
        b.append('\n');
        card(b, subscription, balance);
        b.append('\n');
        usage(b, usage);
        return b.toString();
    }

    private void card(StringBuilder b, JsonNode subscription, JsonNode balance) {
        b.append(String.format("%-17s %19s%n", "Credits available", UsageCommand.amount(balance.path("total"))));
        b.append(String.format("  %-14s %20s  %s%n", "Type", "Available", "Soonest expiry (amount)"));
        for (String type : List.of("PLAN", "ADDON")) {
            JsonNode soonest = subscription.path("soonestExpiry").path(type);
            String expiry = soonest.isObject() ? UsageCommand.time(soonest.path("expiresAt"), zone) + " ("
                    + UsageCommand.amount(soonest.path("amount")) + ")" : "-";
            b.append(String.format("  %-14s %20s  %s%n", TYPES.get(type),
                    UsageCommand.amount(balance.path("byType").path(type)), expiry));
        }
        if (balance.path("held").decimalValue().signum() > 0) {
            b.append(String.format("  %-14s %20s%n", "Held", UsageCommand.amount(balance.path("held"))));
        }
        b.append("  (the whole balance: credits for every product)\n");
    }

    private void usage(StringBuilder b, JsonNode usage) {
        String by = usage.path("groupBy").asString();
        b.append("Usage ").append(UsageCommand.time(usage.path("from"), zone)).append(" to ")
                .append(UsageCommand.time(usage.path("to"), zone)).append(", by ").append(by).append('\n');
        List<JsonNode> groups = new ArrayList<>();
        usage.path("groups").forEach(groups::add);
        if (groups.isEmpty()) {
            b.append("  no usage in this period\n");
            return;
        }
        // key column: what is left of 79 after the indent, the four counts and the credits (their widths)
        int keyWidth = WIDTH - 3 - (7 + 9 + 8 + 7 + 19);
        String row = "  %-" + keyWidth + "s%7s%9s%8s%7s%19s%n";
        b.append(String.format(row, capitalized(by), "Calls", "Charged", "Exempt", "Short", "Credits used"));
        long calls = 0;
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode g : groups) {
            b.append(String.format(row, cut(g.path("key").asString(), keyWidth), g.path("calls").asLong(),
                    g.path("charged").asLong(), g.path("exempt").asLong(), g.path("insufficient").asLong(),
                    UsageCommand.amount(g.path("creditsCharged"))));
            calls += g.path("calls").asLong();
            total = total.add(g.path("creditsCharged").decimalValue());
        }
        b.append(String.format(row, "Total", calls, "", "", "", total.setScale(4).toPlainString()));
        JsonNode open = usage.path("openHolds");
        if (open.path("count").asLong() > 0) {
            b.append("  open holds now: ").append(open.path("count").asLong()).append(", holding ")
                    .append(UsageCommand.amount(open.path("held"))).append('\n');
        }
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }
}

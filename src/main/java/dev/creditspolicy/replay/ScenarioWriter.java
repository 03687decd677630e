package dev.creditspolicy.replay;

import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/** Writes a scenario as reviewable YAML: one flow-style line per step and one per expectation. */
public final class ScenarioWriter {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_.+\\-]*");
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})");

    private ScenarioWriter() {
    }

    public static String yaml(Scenario scenario, String comment) {
        StringBuilder y = new StringBuilder();
        if (comment != null) {
            y.append("# ").append(comment).append('\n');
        }
        y.append("name: ").append(quote(scenario.name())).append('\n');
        y.append("steps:\n");
        for (Scenario.Step step : scenario.steps()) {
            y.append("  - ").append(step.kind()).append(": ").append(flow(step.body())).append('\n');
            if (step.expect() != null) {
                y.append("    expect: ").append(flow(step.expect())).append('\n');
            }
        }
        return y.toString();
    }

    private static String flow(JsonNode node) {
        if (node.isObject()) {
            StringBuilder s = new StringBuilder("{");
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (s.length() > 1) {
                    s.append(", ");
                }
                s.append(quote(e.getKey())).append(": ").append(flow(e.getValue()));
            }
            return s.append('}').toString();
        }
        if (node.isArray()) {
            // a price breakdown's rules
            StringBuilder s = new StringBuilder("[");
            for (JsonNode item : node) {
                s.append(s.length() > 1 ? ", " : "").append(flow(item));
            }
            return s.append(']').toString();
        }
        if (node.isNumber()) {
            return node.decimalValue().toPlainString();
        }
        if (node.isBoolean()) {
            return node.asString();
        }
        return quote(node.asString());
    }

    /** Plain when YAML reads it back as the same string; double-quoted with JSON escapes otherwise. */
    static String quote(String s) {
        boolean plain = (PLAIN.matcher(s).matches() && !s.matches("true|false|null|yes|no|on|off|y|n"))
                || INSTANT.matcher(s).matches();
        if (plain) {
            return s;
        }
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}

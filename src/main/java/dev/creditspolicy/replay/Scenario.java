package dev.creditspolicy.replay;

import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A scenario file: a name and steps applied in order, each optionally with what to expect. */
public record Scenario(String file, String name, List<Step> steps) {

    public static final List<String> KINDS = List.of("account", "cycle", "grant", "planChange", "usage", "evaluate",
            "balance", "lots", "creditsLog");

    /** One step: its kind, the body (the HTTP body's fields), and the expectations (null when none). */
    public record Step(int index, int line, String kind, ObjectNode body, ObjectNode expect, int expectLine) {
        public String describe() {
            JsonNode id = body.has("requestId") ? body.get("requestId")
                    : body.has("lotId") ? body.get("lotId") : body.has("account") ? body.get("account")
                    : body.get("id");
            return "step " + index + " (line " + line + ") " + kind + (id == null ? "" : " " + id.asString());
        }
    }
}

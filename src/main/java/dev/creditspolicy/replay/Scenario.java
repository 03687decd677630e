package dev.creditspolicy.replay;

import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.requests.RequestKind;

/** A scenario file: a name and steps applied in order, each optionally with what to expect. */
public record Scenario(String file, String name, List<Step> steps) {

    /** The step kinds, one per request kind (dev.creditspolicy.requests.Kinds). */
    public static final List<String> KINDS = Kinds.steps();

    /** One step: its kind, the body (the HTTP body's fields), and the expectations (null when none). */
    public record Step(int index, int line, String kind, ObjectNode body, ObjectNode expect, int expectLine) {
        /** The request kind this step is (the reader refuses a step of no kind). */
        public RequestKind<?, ?> requestKind() {
            return Kinds.ofStep(kind);
        }

        public String describe() {
            JsonNode id = body.has("requestId") ? body.get("requestId")
                    : body.has("lotId") ? body.get("lotId") : body.has("account") ? body.get("account")
                    : body.get("id");
            return "step " + index + " (line " + line + ") " + kind + (id == null ? "" : " " + id.asString());
        }
    }
}

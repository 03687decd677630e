package dev.creditspolicy.requests;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.service.Problem;

/**
 * How a request kind is written as a scenario step: the HTTP body's fields, with the id its path carries named as
 * the step names it ({@code account}, {@code id} or {@code hold}), and an answer's list written as a map.
 */
final class StepForm {
    private StepForm() {
    }

    /** A step read back: the id the path would carry (null where the body names the account) and the body. */
    record Read(String id, ObjectNode body) {
    }

    static Read read(RequestKind.AccountField accountField, ObjectNode stepBody) {
        ObjectNode body = stepBody.deepCopy();
        String id = null;
        switch (accountField) {
            case PATH -> id = required(body, "account");
            case BODY -> rename(body, "account", "accountId");
            case ID -> rename(body, "id", "accountId");
            // commit and release name their hold as {hold: ID}: the path's id
            case HOLD -> id = required(body, "hold");
        }
        return new Read(id, body);
    }

    /** A command's fields as a step body: nulls left out, the account (or hold) id under the step's key. */
    static ObjectNode write(RequestKind.AccountField accountField, ObjectNode fields, String accountKey) {
        ObjectNode body = RequestKind.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> e : fields.properties()) {
            if (!e.getValue().isNull()) {
                String key = accountField == RequestKind.AccountField.HOLD
                        ? (e.getKey().equals("holdId") ? "hold" : e.getKey())
                        : (e.getKey().equals("accountId") ? accountKey : e.getKey());
                body.set(key, e.getValue());
            }
        }
        return body;
    }

    /** An answer's list turned into the map expectations write (allocations → {lotId: amount}). */
    static ObjectNode byKey(JsonNode answer, RequestKind.ListAsMap m) {
        ObjectNode tree = (ObjectNode) answer;
        ObjectNode map = RequestKind.JSON.createObjectNode();
        tree.get(m.field()).forEach(item -> map.set(item.get(m.key()).asString(), item.get(m.value())));
        tree.set(m.field(), map);
        return tree;
    }

    private static String required(ObjectNode body, String key) {
        JsonNode id = body.remove(key);
        if (id == null || id.isNull() || id.asString().isBlank()) {
            throw Problem.invalid(key, "'" + key + "' is required");
        }
        return id.asString();
    }

    private static void rename(ObjectNode body, String from, String to) {
        if (body.has(from)) {
            body.set(to, body.remove(from));
        }
    }
}

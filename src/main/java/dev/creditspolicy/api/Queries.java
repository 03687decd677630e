package dev.creditspolicy.api;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Query parameters as the body a request kind reads (absent parameters left out), so both are checked alike. */
final class Queries {
    private Queries() {
    }

    static ObjectNode of(String... nameValue) {
        ObjectNode query = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < nameValue.length; i += 2) {
            if (nameValue[i + 1] != null) {
                query.put(nameValue[i], nameValue[i + 1]);
            }
        }
        return query;
    }
}

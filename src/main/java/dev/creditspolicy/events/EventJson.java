package dev.creditspolicy.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.ledger.Money;

/**
 * The JSON an event is stored and delivered as. {@code data} keeps its fields in the facts' order; amounts are
 * numbers with 4 decimals, instants ISO-8601 in UTC; the envelope is {@code {id, type, occurredAt, accountId, realm,
 * rulesVersion, data}}, the body every delivery of the event sends, byte for byte.
 */
public final class EventJson {
    static final JsonMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private EventJson() {
    }

    /** The stored form of an event's data. */
    public static String data(Map<String, Object> data) {
        Map<String, Object> out = new LinkedHashMap<>();
        data.forEach((k, v) -> out.put(k, v instanceof Instant t ? t.toString()
                : v instanceof BigDecimal d ? Money.of(d) : v));
        return JSON.writeValueAsString(out);
    }

    /** The envelope of a stored event, as a tree (for the API) ... */
    public static ObjectNode envelope(StoredEvent e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", e.eventId());
        node.put("type", e.type());
        node.put("occurredAt", e.occurredAt().toString());
        node.put("accountId", e.accountId());
        node.put("realm", e.realm().name());
        node.put("rulesVersion", e.rulesVersion());
        JsonNode data = JSON.readTree(e.data());
        node.set("data", data);
        return node;
    }

    /** ... and as the bytes a delivery sends. */
    public static String body(StoredEvent e) {
        return JSON.writeValueAsString(envelope(e));
    }
}

package dev.creditspolicy.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.ProblemType;

/**
 * One record of the usage topic, read as {@code POST /v1/usage} reads its body (the same parser, {@link Kinds#USAGE}),
 * or the problem that makes it malformed. The record's key must be the body's account id (it is what partitions the
 * topic, so what keeps one account's events in order); a {@code realm} header is the body's realm.
 *
 * @param usage     the command, or null when the record is malformed
 * @param malformed why it is, or null
 * @param requestId the request id as far as it could be read (null when not even that)
 * @param accountId the account the decision is published under: the record's key, else the body's account id
 */
record UsageEvent(ConsumerRecord<String, byte[]> record, Usage usage, Problem malformed, String requestId,
                  String accountId) {
    static final String REALM_HEADER = "realm";

    boolean wellFormed() {
        return malformed == null;
    }

    /** Reads one record; {@code maxBytes} bounds its value as {@code credits.http.max-body-bytes} bounds a body. */
    static UsageEvent read(ConsumerRecord<String, byte[]> record, JsonMapper json, long maxBytes) {
        byte[] value = record.value();
        String key = record.key();
        if (value == null || value.length == 0) {
            return malformed(record, null, key, Problem.invalid(null, "the record has no value: a usage body "
                    + "is expected"));
        }
        if (value.length > maxBytes) {
            return malformed(record, null, key, new Problem(ProblemType.PAYLOAD_TOO_LARGE,
                    "the record's value exceeds " + maxBytes + " bytes", null, null));
        }
        JsonNode body;
        try {
            body = json.readTree(value);
        } catch (JacksonException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return malformed(record, null, key, new Problem(ProblemType.VALIDATION_FAILED,
                    "the record's value is not a JSON object", null, null));
        }
        String requestId = body.path("requestId").isString() ? body.path("requestId").asString() : null;
        String accountId = key != null ? key
                : body.path("accountId").isString() ? body.path("accountId").asString() : null;
        Usage usage;
        try {
            usage = Kinds.USAGE.parse(null, withRealmHeader((ObjectNode) body, record));
        } catch (Problem p) {
            return malformed(record, requestId, accountId, p);
        }
        if (!usage.accountId().equals(key)) {
            return malformed(record, requestId, accountId, Problem.invalid("accountId", "the record's key must be "
                    + "the body's accountId (it keeps one account's events in one partition, in order)"));
        }
        return new UsageEvent(record, usage, null, usage.requestId(), usage.accountId());
    }

    /** The body with the header's realm when it names none; a header naming another realm than the body refuses. */
    private static JsonNode withRealmHeader(ObjectNode body, ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(REALM_HEADER);
        if (header == null || header.value() == null) {
            return body;
        }
        String realm = new String(header.value(), StandardCharsets.UTF_8);
        JsonNode inBody = body.get("realm");
        if (inBody == null || inBody.isNull()) {
            body.put("realm", realm); // then parsed, and checked against the enum, as the body's own
            return body;
        }
        if (!inBody.isString() || !inBody.asString().equals(realm)) {
            throw Problem.invalid("realm", "the record's realm header and the body's realm differ");
        }
        return body;
    }

    private static UsageEvent malformed(ConsumerRecord<String, byte[]> record, String requestId, String accountId,
                                        Problem why) {
        return new UsageEvent(record, null, why, requestId, accountId);
    }
}

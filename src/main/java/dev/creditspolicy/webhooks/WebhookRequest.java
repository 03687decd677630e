package dev.creditspolicy.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.creditspolicy.policy.facts.EventType;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.Problem;

/** A webhook to create, {@code {url, eventTypes, realms, description?}}, parsed and checked on its parsed forms. */
public record WebhookRequest(URI url, List<EventType> eventTypes, List<Realm> realms, String description) {
    private static final Set<String> FIELDS = Set.of("url", "eventTypes", "realms", "description");
    private static final int URL_MAX = 2000;
    private static final int DESCRIPTION_MAX = 500;

    /**
     * @param allowedHosts host patterns ({@code example.com}, {@code *.example.com}); empty allows any host
     * @throws Problem validation-failed naming the field
     */
    public static WebhookRequest parse(JsonNode body, List<String> allowedHosts) {
        if (body == null || !body.isObject()) {
            throw Problem.invalid("body", "the body must be a JSON object {url, eventTypes, realms, description?}");
        }
        for (Iterator<String> names = body.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw Problem.invalid(Fields.shown(name), "unknown field '" + Fields.shown(name) + "'");
            }
        }
        URI url = url(text(body, "url", URL_MAX), allowedHosts);
        List<EventType> types = new ArrayList<>(new LinkedHashSet<>(list(body, "eventTypes").stream()
                .map(WebhookRequest::eventType).toList()));
        List<Realm> realms = new ArrayList<>(new LinkedHashSet<>(list(body, "realms").stream()
                .map(WebhookRequest::realm).toList()));
        String description = body.has("description") && !body.get("description").isNull()
                ? text(body, "description", DESCRIPTION_MAX) : null;
        if (description != null) {
            Fields.checkCharacters("description", description, true);
        }
        return new WebhookRequest(url, List.copyOf(types), List.copyOf(realms), description);
    }

    private static String text(JsonNode body, String field, int max) {
        JsonNode v = body.get(field);
        if (v == null || !v.isString() || v.asString().isBlank()) {
            throw Problem.invalid(field, "'" + field + "' is required, a non-empty string");
        }
        String s = v.asString();
        if (s.length() > max) {
            throw Problem.invalid(field, "'" + field + "' is longer than " + max + " characters");
        }
        return s;
    }

    private static List<String> list(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isArray() || v.isEmpty() || v.size() > 50) {
            throw Problem.invalid(field, "'" + field + "' is required, an array of 1 to 50 strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isString()) {
                throw Problem.invalid(field, "'" + field + "' holds something other than a string");
            }
            out.add(item.asString());
        }
        return out;
    }

    private static EventType eventType(String wire) {
        try {
            return EventType.ofWire(wire);
        } catch (IllegalArgumentException e) {
            List<String> known = java.util.Arrays.stream(EventType.values()).map(EventType::wire).toList();
            throw Problem.invalid("eventTypes", "'" + Fields.shown(wire) + "' is not an event type; known: " + known);
        }
    }

    private static Realm realm(String name) {
        try {
            return Realm.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("realms", "'" + Fields.shown(name) + "' is not a realm; known: "
                    + Fields.allowed(Realm.class));
        }
    }

    /** An absolute http(s) URL with a host, no user info; its host within the allow-list when one is set. */
    static URI url(String text, List<String> allowedHosts) {
        Fields.checkCharacters("url", text, false);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw Problem.invalid("url", "'url' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            throw Problem.invalid("url", "'url' must be an absolute http or https URL with a host, without user "
                    + "info or fragment");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (!allowedHosts.isEmpty() && allowedHosts.stream().noneMatch(p -> hostMatches(p, host))) {
            throw Problem.invalid("url", "the host of 'url' is not among credits.webhooks.allowed-hosts");
        }
        return uri;
    }

    static boolean hostMatches(String pattern, String host) {
        String p = pattern.strip().toLowerCase(Locale.ROOT);
        return p.startsWith("*.") ? host.endsWith(p.substring(1)) && host.length() > p.length() - 1 : host.equals(p);
    }
}

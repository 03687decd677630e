package dev.creditspolicy.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.ProblemType;

/**
 * The request's target, checked strictly before anything reads it (issue 12): every query parameter and path
 * segment must decode as UTF-8 and hold no control character; the ids of a path are checked like a body's.
 */
final class RequestTargets {
    static final int MAX_PARAMETERS = 32;

    private RequestTargets() {
    }

    /** Decodes the query as Tomcat will, but strictly: a bad escape or bad UTF-8 is refused naming its parameter. */
    static void checkQuery(String query) {
        if (query == null || query.isEmpty()) {
            return;
        }
        int count = 0;
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_PARAMETERS) {
                throw new RequestGate.Refusal(ProblemType.VALIDATION_FAILED, "more than " + MAX_PARAMETERS
                        + " query parameters", "query");
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = decode(rawName);
            if (name == null || name.isEmpty()) {
                String field = name == null ? Fields.shown(rawName, 64) : "query";
                throw new RequestGate.Refusal(ProblemType.VALIDATION_FAILED, name == null
                        ? "query parameter name '" + Fields.shown(rawName) + "' has a bad %-escape or is not UTF-8"
                        : "a query parameter without a name", field);
            }
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (value == null) {
                throw new RequestGate.Refusal(ProblemType.VALIDATION_FAILED, "query parameter '" + Fields.shown(name)
                        + "' has a bad %-escape or is not UTF-8", Fields.shown(name, 64));
            }
            Fields.checkCharacters(Fields.shown(name, 64), name, false);
            Fields.checkCharacters(Fields.shown(name, 64), value, false);
        }
    }

    /** Path segments must decode; the id of /v1/accounts/{id} and /v1/usage/{requestId} is checked like a body's. */
    static void checkPath(String uri) {
        String[] segments = uri.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String s = decode(segments[i].replace("+", "%2B"));
            if (s == null) {
                throw new RequestGate.Refusal(ProblemType.VALIDATION_FAILED, "the path has a bad %-escape or is not UTF-8",
                        "path");
            }
            String field = i == 3 && segments[2].equals("accounts") ? "accountId"
                    : i == 3 && segments[2].equals("usage") ? "requestId"
                    : i == 3 && segments[2].equals("holds") ? "holdId" : "path";
            Fields.pathId(field, s);
        }
    }

    /** URL-decoding ('+' is a space) with REPORT on bad UTF-8; null when an escape or the bytes are bad. */
    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c > 0x7f) {
                return null;
            } else {
                bytes.write(c);
            }
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer out = d.decode(ByteBuffer.wrap(bytes.toByteArray()));
            return out.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

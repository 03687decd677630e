package dev.creditspolicy.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what java.net.http refuses to send (bad escapes in a request line, an 8 KB
 * request line, raw control bytes): the bytes go out as given, the answer is read until the server closes.
 */
final class RawHttp {
    record Answer(int status, Map<String, String> headers, String body) {
        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    private RawHttp() {
    }

    static Answer exchange(int port, String head, byte[] body) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (java.net.SocketException e) {
                // the server answered and closed before reading all we sent (an oversized head): read its answer
            }
            return read(s.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Authorization line added to requests that carry none: the test services' admin key. */
    static final String ADMIN_AUTHORIZATION = "Authorization: Bearer "
            + dev.creditspolicy.support.TestDatabases.ADMIN_KEY;

    /** A request with Host and Connection: close; {@code target} is sent byte for byte. */
    static Answer request(int port, String method, String target, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n");
        for (String h : withKey(java.util.List.of(headers))) {
            head.append(h).append("\r\n");
        }
        return exchange(port, head.append("\r\n").toString(), null);
    }

    /** The headers, with the admin key's Authorization unless they have one (an empty "Authorization:" too). */
    static java.util.List<String> withKey(java.util.List<String> headers) {
        boolean has = headers.stream().anyMatch(h -> h.regionMatches(true, 0, "Authorization:", 0, 14));
        if (has) {
            return headers.stream().filter(h -> !h.equalsIgnoreCase("Authorization:")).toList();
        }
        java.util.List<String> all = new java.util.ArrayList<>(headers);
        all.add(ADMIN_AUTHORIZATION);
        return all;
    }

    /** A request with the given header lines and body (Content-Length added when there is a body). */
    static Answer send(int port, String method, String target, java.util.List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n");
        for (String h : withKey(headers)) {
            head.append(h).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        return exchange(port, head.append("\r\n").toString(), body);
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        try {
            while ((n = in.read(buf)) > 0) {
                all.write(buf, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after the answer was sent (the server closed without reading what we sent)
        }
        byte[] bytes = all.toByteArray();
        int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        if (end < 0) {
            throw new IllegalStateException("no HTTP answer: '" + all.toString(StandardCharsets.UTF_8) + "'");
        }
        String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
        }
        byte[] raw = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            raw = dechunk(raw);
        }
        String body = new String(raw, StandardCharsets.UTF_8);
        return new Answer(status, headers, body);
    }

    private static byte[] dechunk(byte[] s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        byte[] crlf = {'\r', '\n'};
        while (i < s.length) {
            int nl = indexOf(s, crlf, i);
            if (nl < 0) {
                break;
            }
            String size = new String(s, i, nl - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(s, nl + 2, Math.min(n, s.length - nl - 2));
            i = nl + 2 + n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] a, byte[] b, int from) {
        outer:
        for (int i = from; i <= a.length - b.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

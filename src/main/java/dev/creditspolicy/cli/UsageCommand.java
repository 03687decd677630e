package dev.creditspolicy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code usage --account ID}: the Credits card (plan, cycle, available per type with its soonest expiry, held) and
 * the usage of a period, read from a running service over its HTTP API, like the Usage page. Exit codes: 0 shown,
 * 1 refused by the service (bad key, unknown account, bad input), 3 the service did not answer or failed.
 */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Show an account's Credits card and recent usage from a running service.")
final class UsageCommand implements Callable<Integer> {
    static final int REFUSED = 1;
    static final int UNREACHABLE = 3;
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

    @Option(names = "--account", required = true, description = "the account id")
    String account;

    @Option(names = "--server", defaultValue = "http://localhost:8080",
            description = "the service's base URL (default: ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--key", description = "an API key (service or operator) or a viewer token; default: "
            + "the environment variable CREDITS_KEY")
    String key;

    @Option(names = "--at", description = "read the card at this instant (ISO-8601 with offset; default: now)")
    String at;

    @Option(names = "--from", description = "usage from this instant (default: the current cycle's start, "
            + "or 30 days before --at)")
    String from;

    @Option(names = "--to", description = "usage up to this instant, excluded (default: the cycle's end, or --at)")
    String to;

    @Option(names = "--group-by", defaultValue = "product",
            description = "product, feature, model or day (default: ${DEFAULT-VALUE})")
    String groupBy;

    @Option(names = "--zone", description = "time zone for times and days (default: this machine's, ${DEFAULT-VALUE})",
            defaultValue = "${sys:user.timezone}")
    String zone;

    @Option(names = "--json", description = "print the service's answers as one JSON object, for scripts")
    boolean json;

    /** Why the command stops: what to tell the user and the exit code. */
    static final class Stop extends RuntimeException {
        final int code;

        Stop(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try {
            ZoneId z = zone();
            String secret = key != null ? key : System.getenv("CREDITS_KEY");
            if (secret == null || secret.isBlank()) {
                throw new Stop(REFUSED, "no key: pass --key KEY (an operator or service key, or a viewer token) "
                        + "or set CREDITS_KEY");
            }
            Api api = new Api(server.replaceAll("/+$", ""), secret.strip(), account);
            Instant t = at == null ? null : instant("--at", at);
            JsonNode subscription = api.get("/subscription", param("at", t));
            JsonNode balance = api.get("/balance", param("at", t));
            Instant readAt = Instant.parse(subscription.path("at").asString());
            Instant f = from != null ? instant("--from", from) : defaultFrom(subscription, readAt);
            Instant e = to != null ? instant("--to", to) : defaultTo(subscription, readAt);
            JsonNode usage = api.get("/usage", param("from", f) + "&" + param("to", e) + "&groupBy="
                    + enc(groupBy) + "&zone=" + enc(z.getId()));
            if (json) {
                ObjectNode all = JSON.createObjectNode();
                all.set("subscription", subscription);
                all.set("balance", balance);
                all.set("usage", usage);
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
            } else {
                out.print(new UsageCard(z).render(subscription, balance, usage));
            }
            return 0;
        } catch (Stop s) {
            System.err.println("usage: " + s.getMessage());
            return s.code;
        }
    }

    private ZoneId zone() {
        try {
            return zone == null || zone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new Stop(REFUSED, "unknown --zone '" + zone + "'; use an offset like +08:00 or a region id");
        }
    }

    private static Instant instant(String option, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new Stop(REFUSED, option + " must be an ISO-8601 instant with offset, e.g. "
                    + "2026-07-12T12:00:00+08:00; got '" + value + "'");
        }
    }

    /** The usage period by default: the cycle in force, else the 30 days up to the card's instant. */
    private static Instant defaultFrom(JsonNode subscription, Instant readAt) {
        JsonNode cycle = subscription.path("cycle");
        return cycle.isObject() ? Instant.parse(cycle.path("start").asString()) : readAt.minus(Duration.ofDays(30));
    }

    private static Instant defaultTo(JsonNode subscription, Instant readAt) {
        JsonNode cycle = subscription.path("cycle");
        return cycle.isObject() ? Instant.parse(cycle.path("endsAt").asString()) : readAt;
    }

    private static String param(String name, Instant t) {
        return t == null ? "" : name + "=" + enc(t.toString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String time(JsonNode instant, ZoneId zone) {
        return instant == null || instant.isNull() || instant.isMissingNode() ? "-"
                : TIME.format(Instant.parse(instant.asString()).atZone(zone));
    }

    static String amount(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "-" : n.decimalValue().setScale(4).toPlainString();
    }

    /** One account's reads over HTTP; every refusal and failure becomes a {@link Stop} that says what to do. */
    private static final class Api {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;
        private final String key;
        private final String account;

        Api(String base, String key, String account) {
            this.base = base;
            this.key = key;
            this.account = account;
        }

        JsonNode get(String path, String query) {
            String url = base + "/v1/accounts/" + enc(account).replace("+", "%20") + path
                    + (query.isEmpty() ? "" : "?" + query);
            HttpResponse<String> r;
            try {
                r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + key).header("Accept", "application/json").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException | HttpConnectTimeoutException e) {
                throw new Stop(UNREACHABLE, "the service at " + base + " does not answer (" + describe(e)
                        + "). Is it running? Start it with java -jar target/credits-policy.jar, or pass --server URL.");
            } catch (HttpTimeoutException e) {
                throw new Stop(UNREACHABLE, "the service at " + base + " took more than 30 s to answer; try again");
            } catch (IOException e) {
                throw new Stop(UNREACHABLE, "could not read from " + base + ": " + describe(e));
            } catch (IllegalArgumentException e) {
                throw new Stop(REFUSED, "--server '" + base + "' is not a URL like http://localhost:8080");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stop(UNREACHABLE, "interrupted");
            }
            JsonNode body = parse(r.body());
            String detail = body == null ? "" : body.path("detail").asString("");
            String slug = body == null ? "" : body.path("type").asString("").replaceAll(".*/", "");
            int status = r.statusCode();
            if (status / 100 == 2) {
                if (body == null) {
                    throw new Stop(UNREACHABLE, url + " answered something that is not JSON: is --server the "
                            + "credits service?");
                }
                return body;
            }
            if (status == 401) {
                throw new Stop(REFUSED, "the key was refused (401 unauthenticated: " + detail + "). Pass a valid "
                        + "key with --key or CREDITS_KEY.");
            }
            if (status == 403) {
                throw new Stop(REFUSED, "this key may not read account '" + account + "' (403 forbidden: " + detail
                        + "). Use a service or operator key, or a viewer token of this account.");
            }
            if (status == 404) {
                throw new Stop(REFUSED, slug.equals("unknown-account")
                        ? "no account '" + account + "' (404 unknown-account). Check the id; a key sees only the "
                                + "accounts of its realms."
                        : url + " is not found (404): is --server the credits service?");
            }
            if (status >= 500) {
                throw new Stop(UNREACHABLE, "the service failed (" + status + " " + slug + ": " + detail
                        + "); try again later");
            }
            throw new Stop(REFUSED, "refused (" + status + " " + slug + "): " + detail);
        }

        private static JsonNode parse(String text) {
            try {
                return text == null || text.isBlank() ? null : JSON.readTree(text);
            } catch (RuntimeException e) {
                return null;
            }
        }

        private static String describe(Exception e) {
            String m = e.getMessage();
            return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
        }
    }
}

package dev.creditspolicy.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import dev.creditspolicy.events.EventJson;
import dev.creditspolicy.events.StoredEvent;

/** One POST of an event to a receiver, signed by Standard Webhooks; a 2xx answer within the timeout delivers it. */
final class Sender {
    /** The receiver's status code (null when none came) and, when it failed, why in a few words. */
    record Result(Integer status, String error) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    Sender(Duration timeout) {
        this.timeout = timeout;
        // redirects are not followed: a receiver answers at the URL it registered
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Result send(String url, String secret, StoredEvent event, long timestampSeconds) {
        String body = EventJson.body(event);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", "credits-policy-webhooks")
                .header("webhook-id", event.eventId())
                .header("webhook-timestamp", Long.toString(timestampSeconds))
                .header("webhook-signature", Signature.sign(secret, event.eventId(), timestampSeconds, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return new Result(status, status >= 200 && status < 300 ? null : "status " + status);
        } catch (HttpTimeoutException e) {
            return new Result(null, "no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return new Result(null, "connection failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, "interrupted");
        }
    }
}

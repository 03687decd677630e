package dev.creditspolicy.usagepage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.support.TestDatabases;

/** The account's reads, as the API answers them with the admin key: what the page's figures must equal. */
record PageApi(String base, String account) {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** GET /v1/accounts/{account}{path}: must answer 200. */
    JsonNode get(String path) throws IOException {
        HttpResponse<String> r = send(base + "/v1/accounts/" + account + path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> send(String url) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer "
                    + TestDatabases.ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

package dev.creditspolicy.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * The account the Usage page tests look at (issue 16), seeded over HTTP as the README's session does: a Pro cycle, a
 * credit pack, a promotion, usage from CLI, QoderWork and the IDE (a failed call), an upgrade to Enterprise Teams at
 * 07-10 that shortens the July plan lot, the Teams cycle, more usage, and an open hold. Ids are prefixed with the
 * account id, so several tests can seed their own copy in one database.
 */
public final class UsageStory {
    /** The instant the tests read the account at: after every call, while the hold is open. */
    public static final String AT = "2026-07-12T12:00:00+08:00";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private UsageStory() {
    }

    /** Seeds account {@code id} through the service at {@code base} with {@code adminKey}. */
    public static void seed(String base, String adminKey, String id) {
        String p = id + "-";
        List<String[]> calls = List.of(
                post("/v1/accounts", "{'accountId':'" + id + "','realm':'QODER_CN','plan':'PERSONAL_PRO',"
                        + "'at':'2026-07-01T00:00:00+08:00'}"),
                post("/v1/accounts/" + id + "/cycles", "{'plan':'PERSONAL_PRO','start':'2026-07-01T00:00:00+08:00',"
                        + "'end':'2026-08-01T00:00:00+08:00','credits':100,'lotId':'" + p + "plan-jul'}"),
                post("/v1/accounts/" + id + "/lots", "{'lotId':'" + p + "pack-1','source':'PURCHASE','amount':50,"
                        + "'effectiveAt':'2026-07-02T00:00:00+08:00','expiresAt':'2026-07-20T00:00:00+08:00',"
                        + "'reason':'credit pack 50'}"),
                usage(p + "r1", id, "CLI", "QUEST_AGENT", "qwen3-coder", "SUCCEEDED", "70.5", "2026-07-03T10:00:00+08:00"),
                usage(p + "r2", id, "IDE", "EDITOR_ASK", "qwen3-coder", "FAILED", "5", "2026-07-03T11:00:00+08:00"),
                post("/v1/accounts/" + id + "/lots", "{'lotId':'" + p + "promo-1','source':'PROMOTION','amount':20,"
                        + "'effectiveAt':'2026-07-05T00:00:00+08:00','expiresAt':'2026-09-01T00:00:00+08:00',"
                        + "'reason':'welcome promotion'}"),
                usage(p + "r3", id, "QODERWORK", "QUEST_EXPERTS", "qwen3-max", "SUCCEEDED", "12.25",
                        "2026-07-08T15:30:00+08:00"),
                post("/v1/accounts/" + id + "/plan-changes", "{'toPlan':'ENTERPRISE_TEAMS',"
                        + "'at':'2026-07-10T00:00:00+08:00','kind':'UPGRADE'}"),
                post("/v1/accounts/" + id + "/cycles", "{'plan':'ENTERPRISE_TEAMS',"
                        + "'start':'2026-07-10T00:00:00+08:00','end':'2026-08-10T00:00:00+08:00','credits':300,"
                        + "'lotId':'" + p + "plan-teams-jul'}"),
                usage(p + "r4", id, "QODERWORK", "QUEST_AGENT", "qwen3-coder", "SUCCEEDED", "42.5",
                        "2026-07-11T09:00:00+08:00"),
                usage(p + "r5", id, "CLI", "KNOWLEDGE_REPOWIKI", "qwen3-max", "SUCCEEDED", "8.125",
                        "2026-07-12T08:00:00+08:00"),
                usage(p + "r6", id, "IDE", "EDITOR_AGENT", "qwen3-coder", "SUCCEEDED", "3",
                        "2026-07-12T09:00:00+08:00"),
                post("/v1/holds", "{'holdId':'" + p + "h1','accountId':'" + id + "','product':'CLI',"
                        + "'feature':'QUEST_AGENT','model':'qwen3-coder','credits':25,"
                        + "'occurredAt':'2026-07-12T10:00:00+08:00','ttlSeconds':86400}"));
        for (String[] c : calls) {
            send(base, adminKey, c[0], c[1]);
        }
    }

    private static String[] post(String path, String singleQuoted) {
        return new String[] {path, singleQuoted.replace('\'', '"')};
    }

    private static String[] usage(String requestId, String account, String product, String feature, String model,
                                  String outcome, String credits, String at) {
        return post("/v1/usage", "{'requestId':'" + requestId + "','accountId':'" + account + "','product':'"
                + product + "','feature':'" + feature + "','model':'" + model + "','outcome':'" + outcome
                + "','credits':" + credits + ",'occurredAt':'" + at + "'}");
    }

    /** POSTs a body; anything but 2xx is a broken seed and fails the test that asked for it. */
    public static String send(String base, String key, String path, String body) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new AssertionError("seeding " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new AssertionError("seeding " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A viewer token for the account, minted with {@code key}. */
    public static String viewerToken(String base, String key, String id, int ttlSeconds) {
        String body = send(base, key, "/v1/accounts/" + id + "/viewer-tokens", "{\"ttlSeconds\":" + ttlSeconds + "}");
        int i = body.indexOf("\"token\":\"") + 9;
        return body.substring(i, body.indexOf('"', i));
    }
}

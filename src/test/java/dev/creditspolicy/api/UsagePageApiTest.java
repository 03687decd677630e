package dev.creditspolicy.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.support.UsageStory;

/**
 * What the Usage page reads (issue 16): {@code /subscription} (plan, cycle, soonest expiry per type, plan changes and
 * the lot expiries they changed), the usage report limited to the page's products, and the page itself with its
 * settings, served by the jar.
 */
class UsagePageApiTest extends ApiTestSupport {
    private static final String AT = UsageStory.AT.replace("+", "%2B");

    private String story() {
        String id = newId("story");
        UsageStory.seed("http://localhost:" + port, ADMIN, id);
        return id;
    }

    @Test
    void theSubscriptionGivesPlanCycleSoonestExpiriesAndTheUpgradeThatShortenedALot() {
        String id = story();
        Reply s = get("/v1/accounts/" + id + "/subscription?at=" + AT).expect(200);
        assertEquals("ENTERPRISE_TEAMS", s.text("plan"));
        assertEquals("QODER_CN", s.text("realm"));
        JsonNode cycle = s.get("cycle");
        assertEquals(id + "-plan-teams-jul", cycle.get("lotId").asString());
        assertInstant("2026-07-10T00:00:00+08:00", cycle.get("start"));
        assertInstant("2026-08-10T00:00:00+08:00", cycle.get("end"));
        assertInstant("2026-08-10T00:00:00+08:00", cycle.get("endsAt"));
        // plan: 300 - 42.5 - 8.125 used, 25 held; add-on: the pack is used up, the promotion is left
        assertInstant("2026-08-10T00:00:00+08:00", s.get("soonestExpiry").get("PLAN").get("expiresAt"));
        assertAmount("224.375", s.get("soonestExpiry").get("PLAN").get("amount"));
        assertInstant("2026-09-01T00:00:00+08:00", s.get("soonestExpiry").get("ADDON").get("expiresAt"));
        assertAmount("20", s.get("soonestExpiry").get("ADDON").get("amount"));
        JsonNode change = s.get("planChanges").get(0);
        assertEquals("UPGRADE", change.get("kind").asString());
        assertEquals("PERSONAL_PRO", change.get("fromPlan").asString());
        assertInstant("2026-07-10T00:00:00+08:00", change.get("at"));
        JsonNode expiry = s.get("expiryChanges").get(0);
        assertEquals(id + "-plan-jul", expiry.get("lotId").asString());
        assertInstant("2026-08-01T00:00:00+08:00", expiry.get("oldExpiresAt"));
        assertInstant("2026-07-10T00:00:00+08:00", expiry.get("newExpiresAt"));
        assertEquals(change.get("id").asLong(), expiry.get("planChangeId").asLong());
        assertThat(expiry.get("cause").asString()).startsWith("UPGRADE from PERSONAL_PRO to ENTERPRISE_TEAMS");
        assertThat(expiry.get("rule").asString()).contains("upgrade shortens");
        // the same figures as the balance the card shows
        Reply balance = get("/v1/accounts/" + id + "/balance?at=" + AT).expect(200);
        assertAmount("25", balance.get("held"));
        assertBalance(balance, "244.375", "224.375", "20");
    }

    @Test
    void aVoidedLotIsListedAmongTheExpiryChangesWithItsReasonAndNoPlanChange() {
        String id = story();
        post("/v1/accounts/" + id + "/lots/" + id + "-promo-1/void",
                "{\"at\": \"2026-07-12T00:00:00+08:00\", \"reason\": \"promotion granted by mistake\"}")
                .expect(200);
        Reply s = get("/v1/accounts/" + id + "/subscription?at=" + AT).expect(200);
        List<JsonNode> voids = new ArrayList<>();
        s.get("expiryChanges").forEach(c -> {
            if (c.get("lotId").asString().equals(id + "-promo-1")) {
                voids.add(c);
            }
        });
        assertEquals(1, voids.size(), () -> s.response().body());
        JsonNode v = voids.get(0);
        assertInstant("2026-09-01T00:00:00+08:00", v.get("oldExpiresAt"));
        assertInstant("2026-07-12T00:00:00+08:00", v.get("newExpiresAt"));
        assertEquals("VOID: promotion granted by mistake", v.get("cause").asString());
        assertTrue(v.get("planChangeId").isNull(), () -> v.toString());
        // voided: the add-on credits left are not available any more
        assertTrue(s.get("soonestExpiry").get("ADDON").isNull(), () -> s.response().body());
    }

    @Test
    void beforeTheUpgradeTheCycleIsTheProOneAndItEndsEarly() {
        String id = story();
        Reply s = get("/v1/accounts/" + id + "/subscription?at=2026-07-05T12:00:00%2B08:00").expect(200);
        assertEquals("PERSONAL_PRO", s.text("plan"));
        JsonNode cycle = s.get("cycle");
        assertEquals(id + "-plan-jul", cycle.get("lotId").asString());
        assertInstant("2026-08-01T00:00:00+08:00", cycle.get("end"));
        assertInstant("2026-07-10T00:00:00+08:00", cycle.get("endsAt"));
        assertInstant("2026-07-10T00:00:00+08:00", s.get("soonestExpiry").get("PLAN").get("expiresAt"));
        // what the lot holds now (100 - 20.5 on 07-03 - 12.25 on 07-08), as every balance reads it
        assertAmount("67.25", s.get("soonestExpiry").get("PLAN").get("amount"));
        Reply none = get("/v1/accounts/" + id + "/subscription?at=2026-06-01T00:00:00Z").expect(200);
        assertTrue(none.get("cycle").isNull(), none.response().body());
        assertTrue(none.get("soonestExpiry").get("PLAN").isNull(), none.response().body());
    }

    @Test
    void aViewerTokenReadsTheSubscriptionOfItsAccountOnly() {
        String id = personalAccountWithPlanCredits("sub-v");
        String other = personalAccountWithPlanCredits("sub-o");
        String token = UsageStory.viewerToken("http://localhost:" + port, ADMIN, id, 60);
        get("/v1/accounts/" + id + "/subscription", token).expect(200);
        assertProblem(get("/v1/accounts/" + other + "/subscription", token), 403, "forbidden", null);
        assertProblem(get("/v1/accounts/" + newId("nobody") + "/subscription"), 404, "unknown-account", "accountId");
        assertProblem(get("/v1/accounts/" + id + "/subscription?at=yesterday"), 400, "validation-failed", "at");
    }

    @Test
    void theUsageReportCanBeLimitedToTheProductsThePageLists() {
        String id = story();
        Reply all = get("/v1/accounts/" + id + "/usage?groupBy=product").expect(200);
        assertEquals(List.of("CLI", "IDE", "QODERWORK"), keys(all));
        Reply listed = get("/v1/accounts/" + id + "/usage?groupBy=product&products=QODERWORK,CLI").expect(200);
        assertEquals(List.of("CLI", "QODERWORK"), keys(listed));
        assertAmount("78.625", listed.get("groups").get(0).get("creditsCharged"));
        assertAmount("54.75", listed.get("groups").get(1).get("creditsCharged"));
        Reply features = get("/v1/accounts/" + id + "/usage?groupBy=feature&products=QODERWORK,CLI").expect(200);
        assertEquals(List.of("KNOWLEDGE_REPOWIKI", "QUEST_AGENT", "QUEST_EXPERTS"), keys(features));
        Reply bad = assertProblem(get("/v1/accounts/" + id + "/usage?products=QODERWORK,DESKTOP"), 400,
                "validation-failed", "products");
        assertThat(bad.text("detail")).contains("DESKTOP").contains("QODERWORK");
    }

    @Test
    void thePageAndItsSettingsAreServedByTheJarWithoutAKey() throws Exception {
        HttpResponse<String> page = browserGet("/usage", "text/html,application/xhtml+xml");
        assertEquals(200, page.statusCode());
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/usage/usage.js\"",
                "<script src=\"/webjars/chart.js/4.4.7/dist/chart.umd.js\"").doesNotContain("http://", "https://");
        for (String asset : List.of("/usage/usage.js", "/usage/api.js", "/usage/usage-text.js", "/usage/credits.js",
                "/usage/details.js", "/usage/charges.js", "/usage/address.js", "/usage/messages.js",
                "/usage/usage.css", "/usage/i18n/en.json",
                "/usage/i18n/zh-CN.json")) {
            HttpResponse<String> r = browserGet(asset, asset.endsWith(".css") ? "text/css" : "text/javascript");
            assertEquals(200, r.statusCode(), asset);
            assertThat(r.body()).doesNotContain("https://", "http://");
        }
        assertEquals(200, browserGet("/favicon.ico", "image/*").statusCode());
        Reply settings = get("/usage/settings", null).expect(200);
        assertEquals("[\"QODERWORK\",\"CLI\"]", settings.get("products").toString());
        assertEquals("[\"IDE\",\"JETBRAINS\",\"MOBILE\"]", settings.get("otherProducts").toString());
    }

    private HttpResponse<String> browserGet(String path, String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Accept", accept)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> keys(Reply usage) {
        List<String> keys = new ArrayList<>();
        usage.get("groups").forEach(g -> keys.add(g.get("key").asString()));
        return keys;
    }
}

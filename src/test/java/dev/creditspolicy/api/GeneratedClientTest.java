package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.client.ApiClient;
import dev.creditspolicy.client.ApiException;
import dev.creditspolicy.client.ApiResponse;
import dev.creditspolicy.client.api.AccountsApi;
import dev.creditspolicy.client.api.HoldsApi;
import dev.creditspolicy.client.api.UsageApi;
import dev.creditspolicy.client.model.AccountBody;
import dev.creditspolicy.client.model.AccountView;
import dev.creditspolicy.client.model.Allocation;
import dev.creditspolicy.client.model.BalanceView;
import dev.creditspolicy.client.model.CommitBody;
import dev.creditspolicy.client.model.CommitView;
import dev.creditspolicy.client.model.CreditsLogEntry;
import dev.creditspolicy.client.model.CycleBody;
import dev.creditspolicy.client.model.ExplainedDecision;
import dev.creditspolicy.client.model.Feature;
import dev.creditspolicy.client.model.GrantBody;
import dev.creditspolicy.client.model.HoldBody;
import dev.creditspolicy.client.model.HoldView;
import dev.creditspolicy.client.model.LotType;
import dev.creditspolicy.client.model.LotView;
import dev.creditspolicy.client.model.Outcome;
import dev.creditspolicy.client.model.Plan;
import dev.creditspolicy.client.model.Problem;
import dev.creditspolicy.client.model.Product;
import dev.creditspolicy.client.model.Realm;
import dev.creditspolicy.client.model.Reason;
import dev.creditspolicy.client.model.Status;
import dev.creditspolicy.client.model.UsageBody;

/**
 * The Java client generated at build time from the committed OpenAPI document (openapi-generator, into
 * target/generated-test-sources; OpenApiContractTest keeps that document the served one) runs the README's session
 * and a hold and its commit, and gets the README's answers: exact decimals as BigDecimal, instants, enums, the
 * creates' 201 and Location, a refusal as the generated {@code Problem}. Ids carry a suffix: the test context (and
 * its database) is shared with the other API tests.
 */
@DisplayName("A client generated from the OpenAPI document")
class GeneratedClientTest extends ApiTestSupport {
    private static OffsetDateTime t(String iso) {
        return OffsetDateTime.parse(iso);
    }

    private ApiClient client() {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + ADMIN));
        return client;
    }

    @Test
    @DisplayName("runs the README's session and gets its answers")
    void theReadmeSession() throws Exception {
        ApiClient client = client();
        AccountsApi accounts = new AccountsApi(client);
        UsageApi usage = new UsageApi(client);
        String alice = newId("alice");
        String planLot = alice + "-plan-jul";
        String pack = alice + "-pack-1";

        ApiResponse<AccountView> created = accounts.createAccountWithHttpInfo(new AccountBody().accountId(alice)
                .realm(Realm.QODER_CN).plan(Plan.PERSONAL_PRO).at(t("2026-07-01T00:00:00+08:00")));
        assertEquals(201, created.getStatusCode());
        assertEquals("/v1/accounts/" + alice, location(created));
        assertEquals(t("2026-06-30T16:00:00Z"), created.getData().getCreatedAt());
        assertEquals(Plan.PERSONAL_PRO, created.getData().getCurrentPlan());
        assertEquals(1, created.getData().getPlanHistory().size());

        ApiResponse<LotView> cycle = accounts.startCycleWithHttpInfo(alice, new CycleBody().plan(Plan.PERSONAL_PRO)
                .start(t("2026-07-01T00:00:00+08:00")).end(t("2026-08-01T00:00:00+08:00"))
                .credits(new BigDecimal("100")).lotId(planLot));
        assertEquals(201, cycle.getStatusCode());
        assertEquals("/v1/accounts/" + alice + "/lots/" + planLot, location(cycle));
        assertEquals(new BigDecimal("100.0000"), cycle.getData().getRemaining());
        assertEquals(t("2026-07-31T16:00:00Z"), cycle.getData().getExpiresAt());

        ApiResponse<LotView> grant = accounts.grantCreditsWithHttpInfo(alice, new GrantBody().lotId(pack)
                .source(GrantBody.SourceEnum.PURCHASE).amount(new BigDecimal("50"))
                .effectiveAt(t("2026-07-02T00:00:00+08:00")).expiresAt(t("2026-07-20T00:00:00+08:00"))
                .reason("credit pack 50"));
        assertEquals(201, grant.getStatusCode());
        assertEquals(LotType.ADDON, grant.getData().getType());

        UsageBody r1 = usageBody(newId("r1"), alice, Product.CLI, Feature.QUEST_AGENT, Outcome.SUCCEEDED, "70.5",
                "2026-07-03T10:00:00+08:00");
        ExplainedDecision charged = usage.recordUsage(r1, null);
        assertEquals(Status.CHARGED, charged.getStatus());
        assertEquals(Reason.CHARGED, charged.getReason());
        assertEquals(new BigDecimal("70.5000"), charged.getCharged());
        assertEquals(new BigDecimal("0.0000"), charged.getShortfall());
        assertEquals(List.of(allocation(pack, LotType.ADDON, "50.0000"), allocation(planLot, LotType.PLAN,
                "20.5000")), charged.getAllocations());
        assertEquals(new BigDecimal("79.5000"), charged.getBalanceAfter());
        assertEquals(3, charged.getFiredRules().size(), charged.getFiredRules()::toString);

        ExplainedDecision exempt = usage.recordUsage(usageBody(newId("r2"), alice, Product.IDE, Feature.EDITOR_ASK,
                Outcome.FAILED, "5", "2026-07-03T11:00:00+08:00"), null);
        assertEquals(Status.EXEMPT, exempt.getStatus());
        assertEquals(Reason.FAILED_CALL, exempt.getReason());
        assertEquals(new BigDecimal("0.0000"), exempt.getCharged());
        assertEquals(List.of(), exempt.getAllocations());

        BalanceView balance = accounts.getBalance(alice, t("2026-07-03T12:00:00+08:00"), null);
        assertEquals(t("2026-07-03T04:00:00Z"), balance.getAt());
        assertEquals(new BigDecimal("79.5000"), balance.getTotal());
        assertEquals(new BigDecimal("0.0000"), balance.getHeld());
        assertEquals(Map.of("PLAN", new BigDecimal("79.5000"), "ADDON", new BigDecimal("0.0000")),
                balance.getByType());
        assertEquals(new BigDecimal("10.0714"), balance.getRunway().getBurnPerDay());
        assertEquals(t("2026-07-11T01:26:51Z"), balance.getRunway().getDepletesAt());
        assertEquals(List.of(), balance.getRunway().getExpiringUnused());

        List<CreditsLogEntry> log = accounts.getCreditsLog(alice, null, null);
        assertEquals(List.of(pack, planLot), log.stream().map(CreditsLogEntry::getLotId).toList());
        assertEquals(List.of("CREDIT_PURCHASE", "PLAN_CREDITS"), log.stream().map(CreditsLogEntry::getType).toList());
        assertEquals(new BigDecimal("50.0000"), log.get(0).getAmount());
        assertEquals(t("2026-07-19T16:00:00Z"), log.get(0).getInitialExpiresAt());

        // the same request again answers the same decision, marked replayed; another body is a conflict
        ApiResponse<ExplainedDecision> again = usage.recordUsageWithHttpInfo(r1, null);
        assertEquals(200, again.getStatusCode());
        assertEquals(List.of("true"), again.getHeaders().get("Idempotent-Replayed"));
        assertEquals(charged, again.getData());
        Problem conflict = refusal(client, 409, () -> usage.recordUsage(r1.credits(new BigDecimal("71")), null));
        assertEquals(Problem.TypeEnum.IDEMPOTENCY_CONFLICT, conflict.getType());
        assertEquals("requestId", conflict.getField());
    }

    @Test
    @DisplayName("holds credits, commits the hold, and reads what it became")
    void aHoldThenItsCommit() throws Exception {
        ApiClient client = client();
        AccountsApi accounts = new AccountsApi(client);
        HoldsApi holds = new HoldsApi(client);
        String account = newId("holder");
        accounts.createAccount(new AccountBody().accountId(account).realm(Realm.QODER).plan(Plan.PERSONAL_PRO)
                .at(t("2026-07-01T00:00:00+08:00")));
        accounts.startCycle(account, new CycleBody().plan(Plan.PERSONAL_PRO).start(t("2026-07-01T00:00:00+08:00"))
                .end(t("2026-08-01T00:00:00+08:00")).credits(new BigDecimal("100")).lotId(account + "-plan"));
        String holdId = newId("h");

        HoldView held = holds.holdCredits(new HoldBody().holdId(holdId).accountId(account).product(Product.CLI)
                .feature(Feature.QUEST_AGENT).model("qwen3-coder").credits(new BigDecimal("20"))
                .occurredAt(t("2026-07-03T12:00:00+08:00")).ttlSeconds(900));
        assertEquals("HELD", held.getStatus());
        assertEquals(new BigDecimal("20.0000"), held.getHeld());
        assertEquals(t("2026-07-03T04:15:00Z"), held.getExpiresAt());
        assertEquals(new BigDecimal("80.0000"), held.getBalanceAfter());
        assertEquals(List.of(allocation(account + "-plan", LotType.PLAN, "20.0000")), held.getAllocations());

        CommitBody commit = new CommitBody().outcome(Outcome.SUCCEEDED).credits(new BigDecimal("12.5"))
                .occurredAt(t("2026-07-03T12:05:00+08:00"));
        CommitView committed = holds.commitHold(holdId, commit);
        assertEquals(holdId, committed.getRequestId());
        assertEquals(Status.CHARGED, committed.getStatus());
        assertEquals(new BigDecimal("12.5000"), committed.getCharged());
        assertEquals(new BigDecimal("7.5000"), committed.getReleased());
        assertEquals(new BigDecimal("87.5000"), committed.getBalanceAfter());
        assertEquals(List.of(allocation(account + "-plan", LotType.PLAN, "12.5000")), committed.getAllocations());

        HoldView read = holds.getHold(holdId);
        assertEquals("COMMITTED", read.getState());
        assertEquals(new BigDecimal("12.5000"), read.getOutcome().getCharged());
        assertEquals(new BigDecimal("87.5000"),
                accounts.getBalance(account, t("2026-07-03T13:00:00+08:00"), Product.CLI).getTotal());

        Problem settled = refusal(client, 409, () -> holds.releaseHold(holdId, new dev.creditspolicy.client.model
                .ReleaseBody().occurredAt(t("2026-07-03T12:06:00+08:00"))));
        assertEquals(Problem.TypeEnum.HOLD_SETTLED, settled.getType());
        Problem unknown = refusal(client, 404, () -> holds.getHold(newId("no-such-hold")));
        assertEquals(Problem.TypeEnum.UNKNOWN_HOLD, unknown.getType());
    }

    private static UsageBody usageBody(String requestId, String account, Product product, Feature feature,
                                       Outcome outcome, String credits, String occurredAt) {
        return new UsageBody().requestId(requestId).accountId(account).product(product).feature(feature)
                .model("qwen3-coder").outcome(outcome).credits(new BigDecimal(credits)).occurredAt(t(occurredAt));
    }

    private static Allocation allocation(String lotId, LotType type, String amount) {
        return new Allocation().lotId(lotId).type(type).amount(new BigDecimal(amount));
    }

    private static String location(ApiResponse<?> answer) {
        List<String> values = answer.getHeaders().get("Location");
        assertEquals(1, values == null ? 0 : values.size(), () -> "Location: " + values);
        return values.get(0);
    }

    interface Call {
        void run() throws ApiException;
    }

    /** The refusal a call gets, as the generated Problem; its status is the one expected. */
    private static Problem refusal(ApiClient client, int status, Call call) throws Exception {
        ApiException e = assertThrows(ApiException.class, call::run);
        assertEquals(status, e.getCode(), e::getResponseBody);
        assertTrue(e.getResponseHeaders().firstValue("Content-Type").orElse("")
                .startsWith("application/problem+json"));
        Problem problem = client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
        assertEquals(status, problem.getStatus());
        return problem;
    }
}

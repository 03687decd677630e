package dev.creditspolicy.service;

import dev.creditspolicy.requests.Kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.function.Executable;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.ledger.LedgerTables;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.service.Views.AccountView;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.BalanceView;
import dev.creditspolicy.service.Views.CreditsLogEntry;
import dev.creditspolicy.service.Views.LotView;
import dev.creditspolicy.service.Views.PlanChangeView;
import dev.creditspolicy.support.TestServices;

/**
 * The real services on a fresh database, driven with request bodies parsed the way the HTTP API parses them.
 * Bodies are written as JSON with single quotes: {@code body("{'accountId': 'alice'}")}.
 */
final class ServiceFixture {
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .build();

    final CreditsServices services;

    ServiceFixture(String label) {
        this(TestServices.fresh(label));
    }

    ServiceFixture(CreditsServices services) {
        this.services = services;
    }

    static ObjectNode body(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    /** An instant written with the +08:00 offset the policy uses, e.g. {@code at("2026-07-01T00:00")}. */
    static Instant at(String localDateTime) {
        return OffsetDateTime.parse(localDateTime + "+08:00").toInstant();
    }

    static BigDecimal dec(String v) {
        return new BigDecimal(v);
    }

    // ---- requests, each parsed from a body like the API does

    AccountView account(String id, String realm, String plan, String at) {
        return services.accounts().create(Kinds.ACCOUNT.parse(null, body(
                "{'accountId': '" + id + "', 'realm': '" + realm + "', 'plan': '" + plan + "', 'at': '" + at
                        + "'}"))).body();
    }

    Answer<LotView> cycle(String account, ObjectNode body) {
        return services.accounts().startCycle(Kinds.CYCLE.parse(account, body));
    }

    /** A plan cycle with a chosen lot id. */
    LotView cycle(String account, String lotId, String plan, String start, String end, String credits) {
        return cycle(account, body("{'lotId': '" + lotId + "', 'plan': '" + plan + "', 'start': '" + start
                + "', 'end': '" + end + "', 'credits': " + credits + "}")).body();
    }

    Answer<LotView> grant(String account, ObjectNode body) {
        return services.accounts().grantAddon(Kinds.GRANT.parse(account, body));
    }

    /** An add-on lot (PURCHASE or PROMOTION) with a chosen lot id. */
    LotView grant(String account, String lotId, String source, String amount, String effectiveAt,
                  String expiresAt) {
        return grant(account, grantBody(lotId, source, amount, effectiveAt, expiresAt)).body();
    }

    static ObjectNode grantBody(String lotId, String source, String amount, String effectiveAt, String expiresAt) {
        return body("{'lotId': '" + lotId + "', 'source': '" + source + "', 'amount': " + amount
                + ", 'effectiveAt': '" + effectiveAt + "', 'expiresAt': '" + expiresAt + "', 'reason': 'credit pack'}");
    }

    PlanChangeView changePlan(String account, String kind, String toPlan, String at) {
        return services.accounts().changePlan(Kinds.PLAN_CHANGE.parse(account, body(
                "{'kind': '" + kind + "', 'toPlan': '" + toPlan + "', 'at': '" + at + "'}"))).body();
    }

    Answer<UsageDecision> usage(ObjectNode body) {
        return services.usage().record(Kinds.USAGE.parse(null, body));
    }

    /** A successful EDITOR_AGENT call on qwen3-coder. */
    Answer<UsageDecision> use(String requestId, String account, String product, String credits, String occurredAt) {
        return usage(usageBody(requestId, account, product, credits, occurredAt));
    }

    static ObjectNode usageBody(String requestId, String account, String product, String credits,
                                String occurredAt) {
        return usageBody(requestId, account, product, "EDITOR_AGENT", "qwen3-coder", "SUCCEEDED", credits,
                occurredAt);
    }

    static ObjectNode usageBody(String requestId, String account, String product, String feature, String model,
                                String outcome, String credits, String occurredAt) {
        return body("{'requestId': '" + requestId + "', 'accountId': '" + account + "', 'product': '" + product
                + "', 'feature': '" + feature + "', 'model': '" + model + "', 'outcome': '" + outcome
                + "', 'credits': " + credits + ", 'occurredAt': '" + occurredAt + "'}");
    }

    // ---- reads

    LotView lot(String account, String lotId) {
        return services.reports().lots(account, null, new PageRequest(1000, null)).items().stream().filter(l -> l.lotId().equals(lotId)).findFirst()
                .orElseThrow(() -> new AssertionError("no lot " + lotId + " on " + account));
    }

    BigDecimal remaining(String account, String lotId) {
        return lot(account, lotId).remaining();
    }

    BalanceView balance(String account, String at) {
        return services.reports().balance(account, OffsetDateTime.parse(at).toInstant(), null);
    }

    BalanceView balance(String account, String at, Product product) {
        return services.reports().balance(account, OffsetDateTime.parse(at).toInstant(), product);
    }

    List<CreditsLogEntry> creditsLog(String account) {
        return services.reports().creditsLog(account, new PageRequest(1000, null)).items();
    }

    Views.UsageSummary usageSummary(String account, String groupBy, ZoneId zone) {
        return services.reports().usage(account, null, null, groupBy, zone);
    }

    long rows(String table) {
        return LedgerTables.count(services.store().jdbi(), table);
    }

    String snapshot() {
        return LedgerTables.snapshot(services.store().jdbi());
    }

    /**
     * Runs a request that must be refused with the given problem slug and asserts it left the database exactly as
     * it was.
     */
    Problem refused(String slug, Executable request) {
        String before = snapshot();
        Problem p = assertThrows(Problem.class, request);
        assertEquals(slug, p.slug(), () -> "slug of: " + p.getMessage());
        assertEquals(before, snapshot(), "a refused request stored or changed something");
        return p;
    }

    /**
     * Runs {@code requests} in consecutive batches of the given sizes, each through {@code run}, and returns what
     * each request got, in order; every request must have been sent.
     */
    static <C, O> List<O> inBatches(List<C> requests, int[] sizes, Function<List<C>, List<O>> run) {
        List<O> outcomes = new ArrayList<>();
        int from = 0;
        for (int size : sizes) {
            int to = Math.min(requests.size(), from + size);
            outcomes.addAll(run.apply(requests.subList(from, to)));
            from = to;
        }
        assertEquals(requests.size(), from, "every request sent");
        return outcomes;
    }

    // ---- amount assertions: compared as numbers, so 70.5 equals 70.5000

    static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, dec(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }

    static void assertBalance(BalanceView b, String total, String plan, String addon) {
        assertAmount(total, b.total());
        assertAmount(plan, b.byType().get(LotType.PLAN));
        assertAmount(addon, b.byType().get(LotType.ADDON));
    }

    /** Allocations as "lotId=amount" in order, with amounts stripped of trailing zeros. */
    static List<String> allocations(UsageDecision d) {
        return d.allocations().stream()
                .map(a -> a.lotId() + "=" + a.amount().stripTrailingZeros().toPlainString()).toList();
    }
}

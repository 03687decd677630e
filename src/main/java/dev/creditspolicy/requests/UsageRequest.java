package dev.creditspolicy.requests;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.UsageService.StoredUsage;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.ExplainedDecision;
import dev.creditspolicy.store.Rows.EventKind;

/** {@code POST /v1/usage}, step {@code usage}: a model call, charged (or not) once per request id. */
final class UsageRequest extends RequestKind<Usage, Answer<ExplainedDecision>> {
    static final Set<String> DECISION_KEYS = Set.of("status", "reason", "charged", "shortfall", "allocations",
            "balanceAfter", "rulesVersion", "firedRules", "price");
    /** Allocations as a step expects them: {lotId: amount}. */
    static final ListAsMap ALLOCATIONS = new ListAsMap("allocations", "lotId", "amount");

    UsageRequest() {
        super("usage", AccountField.BODY, DECISION_KEYS, EventKind.USAGE,
                List.of("status", "reason", "charged", "shortfall", "allocations", "price"), ALLOCATIONS);
    }

    /** The usage body; {@code requestIdRequired} is false for evaluate. */
    static Usage parse(JsonNode body, boolean requestIdRequired) {
        Fields f = new Fields(body, CostFields.with("requestId", "accountId", "realm", "product", "feature", "model",
                "outcome", "credits", "occurredAt"));
        String requestId = requestIdRequired ? Ids.required(f, "requestId")
                : Ids.optional(f, "requestId");
        String accountId = Ids.required(f, "accountId");
        Realm realm = f.optionalEnum("realm", Realm.class);
        Product product = f.enumValue("product", Product.class);
        Feature feature = f.enumValue("feature", Feature.class);
        String model = f.text("model");
        Outcome outcome = f.enumValue("outcome", Outcome.class);
        CostFields cost = CostFields.read(f);
        return new Usage(requestId, accountId, realm, product, feature, model, outcome, cost.credits(),
                f.instant("occurredAt"), cost.inputTokens(), cost.cachedInputTokens(), cost.outputTokens());
    }

    @Override
    public Usage parse(String accountId, JsonNode body) {
        return parse(body, true);
    }


    @Override
    public String accountOf(Usage cmd) {
        return cmd.accountId();
    }

    @Override
    public Answer<ExplainedDecision> execute(CreditsServices s, Usage cmd) {
        return execute(s, cmd, false);
    }

    @Override
    public Answer<ExplainedDecision> execute(CreditsServices s, Usage cmd, boolean explain) {
        return s.usage().record(cmd, explain);
    }

    @Override
    public Instant clockAt(Usage cmd) {
        return cmd.occurredAt();
    }



    @Override
    public Stored<Usage, Answer<ExplainedDecision>> stored(CreditsServices s, String accountId, String ref) {
        StoredUsage u = s.usage().stored(ref);
        return new Stored<>(u.request(), new Answer<>(new ExplainedDecision(u.decision(), null), false));
    }
}

package dev.creditspolicy.requests;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands.Hold;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.HoldService;
import dev.creditspolicy.service.HoldViews.StoredHold;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.HoldView;
import dev.creditspolicy.store.Rows.EventKind;

/** {@code POST /v1/holds}, step {@code hold}: reserve credits before a model call. */
final class HoldRequest extends RequestKind<Hold, Answer<HoldView>> {
    HoldRequest() {
        super("hold", AccountField.BODY, Set.of("status", "reason", "held", "shortfall", "allocations", "expiresAt",
                        "balanceAfter", "rulesVersion", "firedRules", "price"), EventKind.HOLD,
                List.of("status", "reason", "held", "shortfall", "allocations", "price"), UsageRequest.ALLOCATIONS);
    }

    @Override
    public Hold parse(String accountId, JsonNode body) {
        Fields f = new Fields(body, CostFields.with("holdId", "accountId", "realm", "product", "feature", "model",
                "credits", "occurredAt", "ttlSeconds"));
        String holdId = Ids.required(f, "holdId");
        String account = Ids.required(f, "accountId");
        Realm realm = f.optionalEnum("realm", Realm.class);
        Product product = f.enumValue("product", Product.class);
        Feature feature = f.enumValue("feature", Feature.class);
        String model = f.text("model");
        CostFields cost = CostFields.read(f);
        return new Hold(holdId, account, realm, product, feature, model, cost.credits(), f.instant("occurredAt"),
                f.optionalInt("ttlSeconds", 1, HoldService.TTL_MAX_SECONDS), cost.inputTokens(), cost.cachedInputTokens(),
                cost.outputTokens());
    }

    @Override
    public String accountOf(Hold cmd) {
        return cmd.accountId();
    }

    @Override
    public Answer<HoldView> execute(CreditsServices s, Hold cmd) {
        return s.holds().hold(cmd);
    }

    @Override
    public Instant clockAt(Hold cmd) {
        return cmd.occurredAt();
    }

    @Override
    public Stored<Hold, Answer<HoldView>> stored(CreditsServices s, String accountId, String ref) {
        StoredHold h = s.holdViews().storedHold(ref);
        return new Stored<>(h.request(), new Answer<>(h.answer(), false));
    }
}

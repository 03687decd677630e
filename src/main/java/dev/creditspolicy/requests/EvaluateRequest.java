package dev.creditspolicy.requests;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.creditspolicy.service.Views.ExplainedDecision;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.CreditsServices;

/** {@code POST /v1/evaluate}, step {@code evaluate}: the decision a usage request would get; stores nothing. */
final class EvaluateRequest extends RequestKind<Usage, ExplainedDecision> {
    EvaluateRequest() {
        super("evaluate", AccountField.BODY, UsageRequest.DECISION_KEYS, null, List.of(),
                UsageRequest.ALLOCATIONS);
    }

    @Override
    public Usage parse(String accountId, JsonNode body) {
        return UsageRequest.parse(body, false);
    }


    @Override
    public String accountOf(Usage cmd) {
        return cmd.accountId();
    }

    @Override
    public ExplainedDecision execute(CreditsServices s, Usage cmd) {
        return execute(s, cmd, false);
    }

    @Override
    public ExplainedDecision execute(CreditsServices s, Usage cmd, boolean explain) {
        return s.usage().evaluate(cmd, explain);
    }

    @Override
    public Instant clockAt(Usage cmd) {
        return cmd.occurredAt();
    }

    @Override
    public Instant eventTime(Usage cmd) {
        return cmd.occurredAt();
    }


}

package dev.creditspolicy.service;

import io.micrometer.core.instrument.MeterRegistry;

import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.Views.ExplainedDecision;

/**
 * Group commit for usage requests (issue 17): each batch is decided and stored in one transaction ({@link UsageBatch},
 * run by the usage service's {@link BatchRunner}).
 */
public final class UsageBatcher extends GroupCommit<Usage, ExplainedDecision> {
    UsageBatcher(BatchRunner<Usage, ExplainedDecision> runner, int writers, int maxBatch, MeterRegistry meters) {
        super(runner, writers, maxBatch, meters, "credits.usage.batch.size",
                "usage requests decided and stored in one transaction");
    }
}

package dev.creditspolicy.service;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.UsageService.Outcome;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.ExplainedDecision;

/**
 * Group commit for usage requests (issue 17): each batch is decided and stored in one transaction by
 * {@link UsageService#recordAll}.
 */
public final class UsageBatcher extends GroupCommit<Usage, Outcome> {
    UsageBatcher(UsageService usage, int writers, int maxBatch, MeterRegistry meters) {
        super("usage", usage::recordAll, writers, maxBatch, meters, "credits.usage.batch.size",
                "usage requests decided and stored in one transaction", usage::detach);
    }

    /** Queues the request and waits for its batch; the answer, or the request's own problem, as if it ran alone. */
    Answer<ExplainedDecision> record(Usage cmd) {
        return submit(cmd).answer();
    }

    /** Queues a caller's batch as one unit (decided in one transaction, in order) and waits for it. */
    List<Outcome> recordAll(List<Usage> cmds) {
        return submitAll(cmds);
    }
}

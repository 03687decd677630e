package dev.creditspolicy.service;

import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Store.Tx;

/**
 * Idempotency of usage requests: a request id already decided answers its stored decision again (the same body) or
 * an idempotency conflict (another body, or an id that is a hold's), so that a request id never charges twice.
 */
final class EarlierDecisions {
    private EarlierDecisions() {
    }

    /**
     * The stored decision {@code row} for this request id, or null when there is none; a different body is an
     * idempotency conflict, and so is an id that is a hold's ({@code holdId}).
     */
    static UsageDecision earlier(Tx tx, Usage cmd, DecisionRow row, boolean holdId) {
        if (row == null) {
            if (holdId) {
                // hold ids and request ids are one space: the commit of that hold will decide under this id
                throw Problem.conflict("requestId", "request id '" + cmd.requestId() + "' is a hold's id");
            }
            return null;
        }
        if (!RequestHash.matches(row.requestHash(), cmd)) {
            throw conflictingBody(cmd);
        }
        return DecisionRecords.decision(tx, row);
    }

    static Problem conflictingBody(Usage cmd) {
        return Problem.conflict("requestId", "request '" + cmd.requestId() + "' was already decided for another body");
    }

    /** A body that leaves out the realm means the account's realm: both forms are the same request. */
    static Usage canonical(Usage cmd, AccountRow account) {
        return cmd.realm() != null ? cmd : new Usage(cmd.requestId(), cmd.accountId(), account.realm(),
                cmd.product(), cmd.feature(), cmd.model(), cmd.outcome(), cmd.credits(), cmd.occurredAt(),
                cmd.inputTokens(), cmd.cachedInputTokens(), cmd.outputTokens());
    }
}

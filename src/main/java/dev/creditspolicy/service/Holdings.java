package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.store.Rows.LotRow;

/**
 * What open holds take out of the lots a request sees. A hold is open for a request dated {@code t} while it is
 * neither settled nor expired at {@code t} ({@code expiresAt > t}), whatever the order requests arrive in: every
 * call, hold, evaluate and balance dated t sees each lot's remaining minus what such holds reserve on it.
 */
final class Holdings {
    private Holdings() {
    }

    /**
     * The lots with what holds open at {@code t} reserve taken out ({@link Snapshots}); with {@code dropEmpty}, lots
     * left with nothing are dropped (explain mode keeps all of the account's lots).
     */
    static List<LotRow> subtract(List<LotRow> lots, Map<String, BigDecimal> held, boolean dropEmpty) {
        if (held.isEmpty()) {
            return lots;
        }
        List<LotRow> out = new ArrayList<>(lots.size());
        for (LotRow r : lots) {
            BigDecimal reserved = held.get(r.lotId());
            if (reserved == null) {
                out.add(r);
                continue;
            }
            BigDecimal left = Money.of(r.remaining().subtract(reserved).max(Money.ZERO));
            if (left.signum() > 0 || !dropEmpty) {
                out.add(withRemaining(r, left));
            }
        }
        return out;
    }

    static LotRow withRemaining(LotRow r, BigDecimal remaining) {
        return new LotRow(r.lotId(), r.accountId(), r.realm(), r.source(), r.plan(), r.originProduct(), r.reason(),
                r.amount(), remaining, r.effectiveAt(), r.expiresAt(), r.initialExpiresAt(), r.requestHash());
    }
}

package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The available credits of a kind (remaining minus held) around a change. {@code before} is what the account's
 * previous change left (zero for the first), so a fall between two changes (lots expiring) counts; {@code wasLow}
 * says whether the last balance event raised for this kind was {@code balance.low} (not since recovered), which makes
 * a low balance raise once per crossing whatever the threshold does meanwhile.
 */
public record BalanceChange(CreditKind credits, BigDecimal before, BigDecimal after, boolean wasLow)
        implements EventSubject {

    /** The balance had credits before the change and has none after it. */
    public boolean emptied() {
        return before.signum() > 0 && after.signum() == 0;
    }

    @Override
    public String subject() {
        return credits.name();
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("credits", credits.name());
        data.put("before", before);
        data.put("available", after);
        return data;
    }
}

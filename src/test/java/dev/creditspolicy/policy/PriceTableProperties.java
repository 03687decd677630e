package dev.creditspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.ModelRate;
import dev.creditspolicy.policy.facts.PriceTable;

/**
 * The price table's periods, against a brute force: whatever rows of one model an analyst writes (open or closed
 * ends, in any order), the table is refused exactly when two rows serve one instant, and when accepted, the row a
 * call finds at any instant is the one whose From (included) and Until (excluded) hold it, or none.
 */
class PriceTableProperties {
    private static final Instant DAY0 = Instant.parse("2026-09-01T00:00:00Z");

    /** One row's period as whole days after DAY0; null for an open end. */
    record Period(Integer from, Integer until) {
        Instant fromInstant() { return from == null ? null : DAY0.plusSeconds(86_400L * from); }
        Instant untilInstant() { return until == null ? null : DAY0.plusSeconds(86_400L * until); }

        boolean holds(Instant at) {
            return (from == null || !at.isBefore(fromInstant())) && (until == null || at.isBefore(untilInstant()));
        }
    }

    @Property(tries = 400)
    @Label("refused exactly when two rows of the model serve one instant; else each instant finds the row holding it")
    void periodsAgainstBruteForce(@ForAll("periods") List<Period> periods) {
        String csv = table(periods);
        Set<Instant> probes = probes(periods);
        boolean overlap = false;
        for (Instant at : probes) {
            overlap |= periods.stream().filter(p -> p.holds(at)).count() > 1;
        }

        RuleFile file = new RuleFile(PriceTables.FILE, "-", csv);
        if (overlap) {
            RulesInvalidException e = catchThrowableOfType(RulesInvalidException.class, () -> PriceTables.read(file));
            assertThat(e).as("overlapping periods %s must be refused", periods).isNotNull();
            assertThat(e.errors()).allSatisfy(err -> assertThat(err.message()).contains("two prices at once"));
            return;
        }
        PriceTable table = PriceTables.read(file);
        for (Instant at : probes) {
            List<Integer> holding = new ArrayList<>();
            for (int i = 0; i < periods.size(); i++) {
                if (periods.get(i).holds(at)) {
                    holding.add(i);
                }
            }
            ModelRate found = table.rateOf("m", at);
            if (holding.isEmpty()) {
                assertThat(found).as("no row holds %s in %s", at, periods).isNull();
                assertThat(table.modelsAt(at)).isEmpty();
            } else {
                assertThat(found).as("a row holds %s in %s", at, periods).isNotNull();
                assertThat(found.getRule()).isEqualTo("row " + holding.get(0));
                assertThat(table.modelsAt(at)).containsExactly("m");
            }
        }
    }

    @Provide
    Arbitrary<List<Period>> periods() {
        Arbitrary<Integer> bound = Arbitraries.integers().between(0, 8).injectNull(0.25);
        return Combinators.combine(bound, bound).as(Period::new)
                .filter(p -> p.from() == null || p.until() == null || p.from() < p.until())
                .list().ofMinSize(1).ofMaxSize(4);
    }

    /** Every bound, a second before each, and instants far before and after all of them. */
    private static Set<Instant> probes(List<Period> periods) {
        Set<Instant> probes = new TreeSet<>(List.of(DAY0.minusSeconds(86_400L * 365), DAY0.plusSeconds(86_400L * 365)));
        for (Period p : periods) {
            for (Instant b : new Instant[] {p.fromInstant(), p.untilInstant()}) {
                if (b != null) {
                    probes.add(b);
                    probes.add(b.minusSeconds(1));
                }
            }
        }
        return probes;
    }

    /** A whole price table: the rows of model m in the given periods (row i named "row i"), every feature's multiplier. */
    private static String table(List<Period> periods) {
        StringBuilder csv = new StringBuilder("Model rates\nName,Model,From,Until,Input,Cached input,Output\n");
        for (int i = 0; i < periods.size(); i++) {
            Period p = periods.get(i);
            csv.append("row ").append(i).append(",m,").append(p.from() == null ? "" : p.fromInstant())
                    .append(',').append(p.until() == null ? "" : p.untilInstant()).append(",1,,2\n");
        }
        csv.append("\nFeature multipliers\nName,Feature,Multiplier\n");
        for (Feature f : Feature.values()) {
            csv.append(f).append(" x1,").append(f).append(",1\n");
        }
        return csv.toString();
    }
}

package dev.creditspolicy.policy;

import static dev.creditspolicy.policy.RuleFixtures.ALICE;
import static dev.creditspolicy.policy.RuleFixtures.BOB;
import static dev.creditspolicy.policy.RuleFixtures.ids;
import static dev.creditspolicy.policy.RuleFixtures.rules;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import dev.creditspolicy.policy.facts.Draw;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.UsageCall;

/**
 * The balance question and a call ask the rules the same thing: for every product and plan, at instants around the
 * Credits model's start and the sharing date, and random lots (own and another account's, both realms, with and
 * without an origin product, past, current, future and empty), the lots the balance of a product counts are exactly
 * the lots a zero-cost successful call of that product could draw, in the same order. Facts in, verdict out.
 */
class BalanceQuestionProperties {
    private static final Instant SHARING_DATE = Instant.parse("2026-06-19T16:00:00Z");
    private static final List<Instant> AROUND = List.of(Instant.parse("2026-05-20T04:00:00Z"), SHARING_DATE,
            Instant.parse("2026-07-01T00:00:00Z"));

    @Property(tries = 300)
    @Label("The balance of a product counts exactly the lots a zero-cost call of that product could draw, in order")
    void balanceQuestionMatchesACall(@ForAll Plan plan, @ForAll Product product, @ForAll("instants") Instant at,
                                     @ForAll("lots") List<Lot> lots) {
        UsageCall call = new UsageCall("p", ALICE, Realm.QODER_CN, plan, product, Feature.EDITOR_AGENT, "any-model",
                Outcome.SUCCEEDED, BigDecimal.ZERO, at);

        List<Lot> balance = rules().eligibleLots(new Draw(ALICE, Realm.QODER_CN, plan, product, at), lots);
        List<Lot> drawable = rules().evaluateUsage(call, lots).eligibleInOrder();

        assertThat(ids(balance)).isEqualTo(ids(drawable));
    }

    @Property(tries = 300)
    @Label("Explained, a call decides as it does unexplained, and each of its account's lots is eligible or excluded once")
    void explainingDecidesTheSame(@ForAll Plan plan, @ForAll Product product, @ForAll("instants") Instant at,
                                  @ForAll("lots") List<Lot> lots, @ForAll Outcome outcome) {
        UsageCall call = new UsageCall("p", ALICE, Realm.QODER_CN, plan, product, Feature.EDITOR_AGENT, "any-model",
                outcome, BigDecimal.TEN, at);
        List<Lot> own = lots.stream().filter(l -> l.getAccountId().equals(ALICE) && l.getRealm() == Realm.QODER_CN)
                .toList();

        UsageExplanation explained = rules().explainUsage(call, own);

        assertThat(explained.verdict()).isEqualTo(rules().evaluateUsage(call, own));
        Set<String> seen = new HashSet<>();
        for (UsageExplanation.LotVerdict v : explained.lots()) {
            assertThat(seen.add(v.lot().getLotId())).as("one explanation for %s", v.lot()).isTrue();
            assertThat(v.rule()).as("the rule that decided %s", v.lot()).isNotNull();
        }
        assertThat(seen).hasSize(own.size());
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Combinators.combine(Arbitraries.of(AROUND), Arbitraries.longs().between(-40L * 86_400, 40L * 86_400))
                .as(Instant::plusSeconds);
    }

    @Provide
    Arbitrary<List<Lot>> lots() {
        Arbitrary<Lot> lot = Combinators.combine(
                Arbitraries.of(ALICE, ALICE, ALICE, BOB),
                Arbitraries.of(Realm.QODER_CN, Realm.QODER_CN, Realm.QODER),
                Arbitraries.of(LotSource.class),
                Arbitraries.of(Product.class).injectNull(0.5),
                instants(),
                Arbitraries.longs().between(1, 60L * 86_400),
                Arbitraries.integers().between(0, 100)
        ).as((account, realm, source, origin, from, lengthSeconds, remaining) -> new Lot(null, account, realm,
                source, source == LotSource.PLAN ? Plan.PERSONAL_PRO : null, origin, from, from.plusSeconds(lengthSeconds),
                BigDecimal.valueOf(remaining)));
        return lot.list().ofMaxSize(8).map(BalanceQuestionProperties::numbered);
    }

    /** Gives each lot a distinct id (lot ids are global), ordered so that the id is not the only tie-breaker. */
    private static List<Lot> numbered(List<Lot> lots) {
        return java.util.stream.IntStream.range(0, lots.size()).mapToObj(i -> {
            Lot l = lots.get(i);
            return new Lot("lot-" + (char) ('a' + (i * 5) % 8), l.getAccountId(), l.getRealm(), l.getSource(),
                    l.getPlan(), l.getOriginProduct(), l.getEffectiveAt(), l.getExpiresAt(), l.getRemaining());
        }).toList();
    }
}

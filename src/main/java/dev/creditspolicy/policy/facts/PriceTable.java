package dev.creditspolicy.policy.facts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The price table of a rules version (tables/prices.csv), read once when the rules are loaded: per model, its rate
 * rows, each in force over a period; per feature, its multiplier. The loader has refused a table whose rows of one
 * model overlap or that leaves a feature without a multiplier, so a question finds at most one rate and exactly one
 * multiplier. What a call costs from them is pricing.drl's to say.
 */
public final class PriceTable {
    /** No table: every model is unpriced. */
    public static final PriceTable EMPTY = new PriceTable(List.of(), List.of());

    private final Map<String, List<ModelRate>> ratesByModel = new LinkedHashMap<>();
    private final Map<Feature, FeatureMultiplier> multipliers = new EnumMap<>(Feature.class);

    public PriceTable(List<ModelRate> rates, List<FeatureMultiplier> multipliers) {
        for (ModelRate r : rates) {
            ratesByModel.computeIfAbsent(r.getModel(), m -> new ArrayList<>()).add(r);
        }
        for (FeatureMultiplier m : multipliers) {
            this.multipliers.put(m.getFeature(), m);
        }
    }

    /** The row pricing {@code model} at {@code at}, or null when the table has none. */
    public ModelRate rateOf(String model, Instant at) {
        for (ModelRate r : ratesByModel.getOrDefault(model, List.of())) {
            if (r.isInForceAt(at)) {
                return r;
            }
        }
        return null;
    }

    /** The multiplier row of {@code feature}, or null when the table has none. */
    public FeatureMultiplier multiplierOf(Feature feature) {
        return multipliers.get(feature);
    }

    /** The models the table prices at {@code at}, sorted. */
    public List<String> modelsAt(Instant at) {
        Set<String> models = new TreeSet<>();
        ratesByModel.forEach((model, rows) -> {
            if (rateOf(model, at) != null) {
                models.add(model);
            }
        });
        return List.copyOf(models);
    }

    /** Every rate row, in the table's order (for the self-check, which prices each at its From and Until). */
    public List<ModelRate> rates() {
        List<ModelRate> all = new ArrayList<>();
        ratesByModel.values().forEach(all::addAll);
        return all;
    }
}

package dev.creditspolicy.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.FeatureMultiplier;
import dev.creditspolicy.policy.facts.Instants;
import dev.creditspolicy.policy.facts.ModelRate;
import dev.creditspolicy.policy.facts.PriceTable;

/**
 * The rows of the price table as {@link PriceTables} reads them, each checked as it comes (its name, instants and
 * numbers within {@link PriceBounds}), then the table as a whole; every mistake is kept with its line and row.
 */
final class PriceRows {
    private final RuleFile file;
    private final List<RuleError> errors = new ArrayList<>();
    private final List<ModelRate> rates = new ArrayList<>();
    private final Map<Feature, FeatureMultiplier> multipliers = new EnumMap<>(Feature.class);
    /** Each row's name and its line (the name is unique, so it also locates the row). */
    private final Map<String, Integer> names = new HashMap<>();
    private final Set<Feature> refusedFeatures = EnumSet.noneOf(Feature.class);

    PriceRows(RuleFile file) {
        this.file = file;
    }

    /** How many rows were read (named). */
    int count() {
        return names.size();
    }

    /** The table, once the whole-table checks pass. @throws RulesInvalidException with every mistake */
    PriceTable table() {
        checkWhole();
        if (!errors.isEmpty()) {
            throw invalid();
        }
        return new PriceTable(rates, List.copyOf(multipliers.values()));
    }

    RulesInvalidException invalid() {
        return new RulesInvalidException(errors);
    }

    void error(int line, String row, String message) {
        errors.add(new RuleError(file.name(), line, row, message));
    }

    /** A row of the model rates: its model, from, until and three rates per 1,000 tokens. */
    void rate(int line, List<String> cells) {
        String name = name(line, cells);
        String model = cell(cells, 1);
        if (name == null) {
            return;
        }
        if (model.isEmpty()) {
            error(line, name, "the row names no model");
            return;
        }
        Instant from = instant(line, name, "From", cell(cells, 2));
        Instant until = instant(line, name, "Until", cell(cells, 3));
        BigDecimal input = number(line, name, "an input rate per 1,000 tokens", cell(cells, 4), true, true);
        BigDecimal cached = number(line, name, "a cached-input rate per 1,000 tokens", cell(cells, 5), false, true);
        BigDecimal output = number(line, name, "an output rate per 1,000 tokens", cell(cells, 6), true, true);
        if (from != null && until != null && !from.isBefore(until)) {
            error(line, name, "its From (" + cell(cells, 2) + ") is not before its Until (" + cell(cells, 3)
                    + "): the row would price nothing");
            return;
        }
        if (input != null && output != null && (cell(cells, 5).isEmpty() || cached != null)) {
            rates.add(new ModelRate(model, from, until, input, cached, output, name));
        }
    }

    /** A row of the feature multipliers: one per feature. */
    void multiplier(int line, List<String> cells) {
        String name = name(line, cells);
        if (name == null) {
            return;
        }
        Feature feature;
        try {
            feature = Feature.valueOf(cell(cells, 1));
        } catch (IllegalArgumentException e) {
            error(line, name, "\"" + cell(cells, 1) + "\" is not a feature; the features are "
                    + Arrays.toString(Feature.values()));
            return;
        }
        BigDecimal multiplier = number(line, name, "a multiplier", cell(cells, 2), true, false);
        if (multiplier == null) {
            refusedFeatures.add(feature);
            return;
        }
        FeatureMultiplier before = multipliers.putIfAbsent(feature,
                new FeatureMultiplier(feature, multiplier, name));
        if (before != null) {
            error(line, name, "a second multiplier for " + feature + " (the first is the row \""
                    + before.getRule() + "\"): every feature needs exactly one");
        }
    }

    /** Whole-table checks: one multiplier per feature, the rows of a model do not overlap. */
    private void checkWhole() {
        List<Feature> missing = Arrays.stream(Feature.values())
                .filter(f -> !multipliers.containsKey(f) && !refusedFeatures.contains(f)).toList();
        if (!missing.isEmpty()) {
            error(0, null, "no multiplier for " + missing + " in its \"" + PriceTables.MULTIPLIERS
                    + "\" section: every feature needs exactly one");
        }
        PriceBounds.checkPrices(rates, multipliers.values(), (row, why) -> error(names.get(row), row, why));
        for (int i = 0; i < rates.size(); i++) {
            for (int j = 0; j < i; j++) {
                ModelRate a = rates.get(j);
                ModelRate b = rates.get(i);
                if (a.getModel().equals(b.getModel()) && a.overlaps(b)) {
                    error(names.get(b.getRule()), b.getRule(), b.getModel() + " has two prices at once: this row "
                            + "and the row \"" + a.getRule() + "\" (line " + names.get(a.getRule()) + ") overlap"
                            + (b.getFrom() == null && a.getFrom() == null ? "" : " from "
                            + latest(a.getFrom(), b.getFrom()))
                            + "; end one where the other starts (Until is excluded)");
                }
            }
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /** The row's name, which decisions list; null (refused) when missing or already used. */
    private String name(int line, List<String> cells) {
        String name = cells.get(0);
        if (name.isEmpty()) {
            error(line, null, "the row has no name (its first column): decisions list the rows that priced them");
            return null;
        }
        Integer first = names.putIfAbsent(name, line);
        if (first != null) {
            error(line, name, "a second row of this name (the first is line " + first + ")");
            return null;
        }
        return name;
    }

    private Instant instant(int line, String row, String column, String cell) {
        if (cell.isEmpty()) {
            return null;
        }
        try {
            return Instants.at(cell);
        } catch (DateTimeParseException e) {
            error(line, row, column + " must be an ISO-8601 instant with its offset (2026-09-01T00:00+08:00) or "
                    + "empty: \"" + cell + "\"");
            return null;
        }
    }

    /** A rate ({@code rate}) or a multiplier within {@link PriceBounds}; null (refused) otherwise. */
    private BigDecimal number(int line, String row, String what, String cell, boolean required, boolean rate) {
        if (cell.isEmpty()) {
            if (required) {
                error(line, row, what + " is missing");
            }
            return null;
        }
        try {
            return PriceBounds.number(cell, rate ? PriceBounds.MAX_RATE : PriceBounds.MAX_MULTIPLIER);
        } catch (IllegalArgumentException e) {
            error(line, row, what + " " + e.getMessage());
            return null;
        }
    }

    private static String cell(List<String> cells, int i) {
        return i < cells.size() ? cells.get(i) : "";
    }
}

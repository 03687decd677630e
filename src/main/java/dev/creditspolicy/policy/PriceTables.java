package dev.creditspolicy.policy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.FeatureMultiplier;
import dev.creditspolicy.policy.facts.Instants;
import dev.creditspolicy.policy.facts.ModelRate;
import dev.creditspolicy.policy.facts.PriceTable;

/**
 * Reads the price table, {@code tables/prices.csv}, as the data it is: two sections, each a title line ("Model rates",
 * "Feature multipliers"), a header line and one line per row, ended by an empty line; lines starting "Notes" are the
 * analysts' own. It is read once per rules version rather than compiled into one rule per row: a priced call then
 * fires one rule (pricing.drl's) instead of three, which keeps pricing within 10% of an evaluation (bench/README.md).
 * Every mistake is refused with the table's file, the line and the row's name, all at once, before anything serves.
 */
final class PriceTables {
    static final String FILE = RuleFolder.TABLES + "/prices.csv";
    static final String RATES = "Model rates";
    static final String MULTIPLIERS = "Feature multipliers";
    private static final List<String> RATE_HEADER = List.of("Name", "Model", "From", "Until", "Input", "Cached input",
            "Output");
    private static final List<String> MULTIPLIER_HEADER = List.of("Name", "Feature", "Multiplier");
    /** An empty line ends a section, so it is a record, not skipped. */
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get();

    private PriceTables() {
    }

    /** The price table of a rules folder's files: {@link PriceTable#EMPTY} (every model unpriced) without one. */
    static PriceTable of(List<RuleFile> files) {
        Optional<RuleFile> table = files.stream().filter(f -> f.name().equals(FILE)).findFirst();
        return table.map(PriceTables::read).orElse(PriceTable.EMPTY);
    }

    /** @throws RulesInvalidException with the file, line and row of every mistake */
    static PriceTable read(RuleFile file) {
        return new Reader(file).read();
    }

    private static final class Reader {
        private final RuleFile file;
        private final List<RuleError> errors = new ArrayList<>();
        private final List<ModelRate> rates = new ArrayList<>();
        private final Map<Feature, FeatureMultiplier> multipliers = new EnumMap<>(Feature.class);
        /** Each row's name and its line (the name is unique, so it also locates the row). */
        private final Map<String, Integer> names = new HashMap<>();
        private final Set<Feature> refusedFeatures = EnumSet.noneOf(Feature.class);
        private int scanned;
        private int scannedLine = 1;

        Reader(RuleFile file) {
            this.file = file;
        }

        PriceTable read() {
            String section = null;
            boolean header = false;
            int line = 0;
            try (CSVParser csv = CSV.parse(new StringReader(file.content()))) {
                for (CSVRecord record : csv) {
                    line = lineAt(record.getCharacterPosition());
                    List<String> cells = Arrays.stream(record.values()).map(String::strip).toList();
                    String first = cells.get(0);
                    if (cells.stream().allMatch(String::isEmpty)) {
                        section = null;
                    } else if (section == null && (first.equals(RATES) || first.equals(MULTIPLIERS))) {
                        section = first;
                        header = true;
                    } else if (section == null && first.equals("Notes")) {
                        continue;
                    } else if (section == null) {
                        error(line, null, "a line outside the two sections; the table has a \"" + RATES + "\" and a \""
                                + MULTIPLIERS + "\" section (a title line, a header line, rows, an empty line), and "
                                + "\"Notes\" lines");
                    } else if (header) {
                        header = false;
                        checkHeader(line, cells, section.equals(RATES) ? RATE_HEADER : MULTIPLIER_HEADER);
                    } else if (names.size() >= PriceBounds.MAX_ROWS) {
                        error(line, null, "more than " + PriceBounds.MAX_ROWS + " rows; the table is read no further");
                        throw new RulesInvalidException(errors);
                    } else if (section.equals(RATES)) {
                        rateRow(line, cells);
                    } else {
                        multiplierRow(line, cells);
                    }
                }
            } catch (IOException | UncheckedIOException | IllegalStateException e) {
                // the record that could not be read starts after the last one that could
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                error(line + 1, null, "not a readable CSV table: " + cause.getMessage());
                throw new RulesInvalidException(errors);
            }
            checkWhole();
            if (!errors.isEmpty()) {
                throw new RulesInvalidException(errors);
            }
            return new PriceTable(rates, List.copyOf(multipliers.values()));
        }

        private void checkHeader(int line, List<String> cells, List<String> expected) {
            for (int i = 0; i < expected.size(); i++) {
                if (i >= cells.size() || !cells.get(i).startsWith(expected.get(i))) {
                    error(line, null, "the header's columns must be " + String.join(", ", expected)
                            + " (each may say more after its name); column " + (i + 1) + " is \""
                            + (i < cells.size() ? cells.get(i) : "") + "\"");
                    return;
                }
            }
        }

        private void rateRow(int line, List<String> cells) {
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

        private void multiplierRow(int line, List<String> cells) {
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
                error(0, null, "no multiplier for " + missing + " in its \"" + MULTIPLIERS
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

        /** The 1-based line of a record that starts at {@code position} (records come in order). */
        private int lineAt(long position) {
            String text = file.content();
            for (; scanned < position && scanned < text.length(); scanned++) {
                if (text.charAt(scanned) == '\n') {
                    scannedLine++;
                }
            }
            return scannedLine;
        }

        private void error(int line, String row, String message) {
            errors.add(new RuleError(file.name(), line, row, message));
        }
    }
}

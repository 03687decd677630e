package dev.creditspolicy.policy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import dev.creditspolicy.policy.facts.PriceTable;

/**
 * Reads the price table, {@code tables/prices.csv}, as the data it is: two sections, each a title line ("Model rates",
 * "Feature multipliers"), a header line and one line per row, ended by an empty line; lines starting "Notes" are the
 * analysts' own. It is read once per rules version rather than compiled into one rule per row: a priced call then
 * fires one rule (pricing.drl's) instead of three, which keeps pricing within 10% of an evaluation (bench/README.md).
 * Every mistake is refused with the table's file, the line and the row's name, all at once, before anything serves.
 * This class reads the sections; {@link PriceRows} checks the rows and the table as a whole.
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
        private final PriceRows rows;
        private int scanned;
        private int scannedLine = 1;

        Reader(RuleFile file) {
            this.file = file;
            this.rows = new PriceRows(file);
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
                        rows.error(line, null, "a line outside the two sections; the table has a \"" + RATES + "\" and a \""
                                + MULTIPLIERS + "\" section (a title line, a header line, rows, an empty line), and "
                                + "\"Notes\" lines");
                    } else if (header) {
                        header = false;
                        checkHeader(line, cells, section.equals(RATES) ? RATE_HEADER : MULTIPLIER_HEADER);
                    } else if (rows.count() >= PriceBounds.MAX_ROWS) {
                        rows.error(line, null, "more than " + PriceBounds.MAX_ROWS + " rows; the table is read no "
                                + "further");
                        throw rows.invalid();
                    } else if (section.equals(RATES)) {
                        rows.rate(line, cells);
                    } else {
                        rows.multiplier(line, cells);
                    }
                }
            } catch (IOException | UncheckedIOException | IllegalStateException e) {
                // the record that could not be read starts after the last one that could
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                rows.error(line + 1, null, "not a readable CSV table: " + cause.getMessage());
                throw rows.invalid();
            }
            return rows.table();
        }

        private void checkHeader(int line, List<String> cells, List<String> expected) {
            for (int i = 0; i < expected.size(); i++) {
                if (i >= cells.size() || !cells.get(i).startsWith(expected.get(i))) {
                    rows.error(line, null, "the header's columns must be " + String.join(", ", expected)
                            + " (each may say more after its name); column " + (i + 1) + " is \""
                            + (i < cells.size() ? cells.get(i) : "") + "\"");
                    return;
                }
            }
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
    }
}

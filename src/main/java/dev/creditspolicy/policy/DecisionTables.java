package dev.creditspolicy.policy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;

/**
 * Decision tables (CSV) in the rules folder are turned into DRL before anything else sees them, so the rule checker,
 * the compiler and the error messages treat them like any rule file. The generated file is named
 * {@code <table>.csv.drl}; its rules keep the names of the table's rows. A mistake found in the generated DRL is
 * reported against the table itself: its file and the line of the row whose rule it is ({@link #inTables}).
 */
final class DecisionTables {
    static final String SUFFIX = ".csv";

    private DecisionTables() {
    }

    static boolean isTable(String fileName) {
        return fileName.endsWith(SUFFIX);
    }

    /**
     * The files as the compiler sees them: .drl as they are, each .csv decision table as the DRL it stands for. The
     * price table ({@link PriceTables#FILE}) is data, not rules: it is read by {@link PriceTables} and not compiled.
     */
    static List<RuleFile> expand(List<RuleFile> files) {
        List<RuleFile> out = new ArrayList<>(files.size());
        for (RuleFile f : files) {
            if (f.name().equals(PriceTables.FILE)) {
                continue;
            }
            out.add(isTable(f.name()) ? new RuleFile(f.name() + ".drl", f.sha256(), toDrl(f)) : f);
        }
        return out;
    }

    static String toDrl(RuleFile table) {
        try {
            return new SpreadsheetCompiler().compile(
                    new ByteArrayInputStream(table.content().getBytes(StandardCharsets.UTF_8)), InputType.CSV);
        } catch (RuntimeException e) {
            throw new RulesInvalidException(List.of(new RuleError(table.name(), 0, null,
                    "not a valid decision table: " + e.getMessage())));
        }
    }

    /**
     * The errors as an analyst reads them: one located in a table's generated DRL ({@code <table>.csv.drl}) names
     * the table and the line of the row the rule stands for (the row whose cell is the rule's name), as an error in
     * a .drl names its file and line; one that names no row (a broken header, say) keeps the generated DRL's line.
     */
    static List<RuleError> inTables(List<RuleError> errors, List<RuleFile> files) {
        List<RuleError> out = new ArrayList<>(errors.size());
        for (RuleError e : errors) {
            Optional<RuleFile> table = e.file().endsWith(SUFFIX + ".drl")
                    ? files.stream().filter(f -> (f.name() + ".drl").equals(e.file())).findFirst() : Optional.empty();
            if (table.isEmpty()) {
                out.add(e);
                continue;
            }
            int line = e.rule() == null ? 0 : rowLine(table.get().content(), e.rule());
            out.add(line > 0 ? new RuleError(table.get().name(), line, e.rule(), e.message()) : e);
        }
        return out;
    }

    /** The 1-based line where the CSV record that has {@code rule} as one of its cells starts, or 0. */
    static int rowLine(String csv, String rule) {
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;
        StringBuilder cell = new StringBuilder();
        boolean found = false;
        for (int i = 0; i <= csv.length(); i++) {
            char c = i < csv.length() ? csv.charAt(i) : '\n';
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',' || c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                    continue; // the \n that follows ends the record
                }
                found |= cell.toString().strip().equals(rule);
                cell.setLength(0);
                if (c != ',') {
                    if (found) {
                        return recordLine;
                    }
                    line++;
                    recordLine = line;
                }
            } else {
                cell.append(c);
            }
        }
        return 0;
    }
}

package dev.creditspolicy.policy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;

/**
 * Decision tables (CSV) in the rules folder are turned into DRL before anything else sees them, so the sandbox,
 * the compiler and the error messages treat them like any rule file. The generated file is named
 * {@code <table>.csv.drl}; its rules keep the names of the table's rows.
 */
final class DecisionTables {
    static final String SUFFIX = ".csv";

    private DecisionTables() {
    }

    static boolean isTable(String fileName) {
        return fileName.endsWith(SUFFIX);
    }

    /** The files as the compiler sees them: .drl as they are, each .csv as the DRL it stands for. */
    static List<RuleFile> expand(List<RuleFile> files) {
        List<RuleFile> out = new ArrayList<>(files.size());
        for (RuleFile f : files) {
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
}

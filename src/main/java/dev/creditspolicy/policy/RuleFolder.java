package dev.creditspolicy.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A rules folder as files: its .drl files and .csv decision tables, sorted by name, hashed, and its version. The
 * decision tables of its {@code tables/} folder count too (named {@code tables/<name>.csv}), except one that is the
 * other form of a rule file of the folder itself (same name, .drl or .csv): {@code tables/sharing-matrix.csv} is the
 * table form of {@code sharing-matrix.drl} and serves only when moved up in its place; {@code tables/prices.csv}, the
 * price table, is data the rules read ({@link PriceTables}), part of the version like any rule file.
 */
final class RuleFolder {
    private RuleFolder() {
    }

    static List<RuleFile> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw refused(dir, "rules folder not found");
        }
        try (Stream<Path> paths = Files.list(dir)) {
            List<RuleFile> files = new ArrayList<>();
            for (Path p : paths.filter(p -> isRuleFile(p.getFileName().toString())).sorted().toList()) {
                String content = Files.readString(p, StandardCharsets.UTF_8);
                files.add(new RuleFile(p.getFileName().toString(), Sha256.hex(content), content));
            }
            if (files.isEmpty()) {
                throw refused(dir, "no .drl file in the rules folder");
            }
            files.addAll(tables(dir.resolve(TABLES), files));
            return files;
        } catch (IOException e) {
            throw refused(dir, "cannot read: " + e.getMessage());
        }
    }

    static final String TABLES = "tables";

    /** The tables of tables/ that have no other form among {@code top}, as {@code tables/<name>.csv}. */
    private static List<RuleFile> tables(Path tablesDir, List<RuleFile> top) throws IOException {
        List<RuleFile> tables = new ArrayList<>();
        if (!Files.isDirectory(tablesDir)) {
            return tables;
        }
        try (Stream<Path> paths = Files.list(tablesDir)) {
            for (Path p : paths.filter(p -> DecisionTables.isTable(p.getFileName().toString())).sorted().toList()) {
                String name = p.getFileName().toString();
                String base = name.substring(0, name.length() - DecisionTables.SUFFIX.length());
                boolean otherForm = top.stream().anyMatch(f -> f.name().equals(base + ".drl")
                        || f.name().equals(name));
                if (!otherForm) {
                    String content = Files.readString(p, StandardCharsets.UTF_8);
                    tables.add(new RuleFile(TABLES + "/" + name, Sha256.hex(content), content));
                }
            }
        }
        return tables;
    }

    /** A hash of every file's name and content hash, so equal folders give equal versions. */
    static String version(List<RuleFile> files) {
        StringBuilder all = new StringBuilder();
        for (RuleFile f : files) {
            all.append(f.name()).append('\n').append(f.sha256()).append('\n');
        }
        return Sha256.hex(all.toString()).substring(0, 16);
    }

    private static boolean isRuleFile(String name) {
        return name.endsWith(".drl") || DecisionTables.isTable(name);
    }

    private static RulesInvalidException refused(Path dir, String message) {
        return new RulesInvalidException(List.of(new RuleError(dir.toString(), 0, null, message)));
    }
}

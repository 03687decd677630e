package dev.creditspolicy.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A rules folder as files: its .drl files and .csv decision tables, sorted by name, hashed, and its version. */
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
            return files;
        } catch (IOException e) {
            throw refused(dir, "cannot read: " + e.getMessage());
        }
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

package dev.creditspolicy.policy;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.creditspolicy.policy.DrlText.RuleBlock;

/**
 * A Java compiler error in a rule's consequence, which Drools reports against the source it generated: traced back to
 * the rule whose consequence holds the failing statement, and in it the line that uses the name the error is about.
 */
final class ConsequenceErrors {
    /** The name a Java compiler error in a consequence is about (ecj's wording). */
    private static final List<Pattern> JAVA_NAME = List.of(
            Pattern.compile("^([\\w$]+) cannot be resolved"),
            Pattern.compile("^The (?:method|constructor|field) ([\\w$]+)"),
            Pattern.compile("^The type ([\\w$]+)"));

    private final List<RuleFile> files;
    private final Map<String, DrlText> texts;

    ConsequenceErrors(List<RuleFile> files, Map<String, DrlText> texts) {
        this.files = files;
        this.texts = texts;
    }

    /**
     * @param text             the compiler's message
     * @param generatedMessage the text of the "Java source of ... in error:" message of the same source, or null
     * @param line             the line of the generated source the compiler names
     */
    RuleError locate(String text, String generatedMessage, int line) {
        return inConsequence(text, generatedLine(generatedMessage, line));
    }

    /**
     * A Java error in a consequence: the rule whose consequence contains the failing generated statement, and in it
     * the line that uses the name the error is about.
     */
    private RuleError inConsequence(String text, String generatedLine) {
        String name = null;
        for (Pattern p : JAVA_NAME) {
            Matcher m = p.matcher(DroolsErrors.firstLine(text));
            if (m.find()) {
                name = m.group(1);
                break;
            }
        }
        String statement = generatedLine == null ? "" : normalize(generatedLine);
        boolean usable = statement.chars().anyMatch(Character::isLetter);
        for (boolean byStatement : new boolean[] {true, false}) {
            if (byStatement && !usable || !byStatement && name == null) {
                continue;
            }
            for (RuleFile f : files) {
                DrlText drl = texts.get(f.name());
                for (RuleBlock b : drl.blocks()) {
                    if (b.then() <= 0) {
                        continue;
                    }
                    boolean matches = byStatement
                            ? normalize(drl.consequence(b)).contains(statement)
                            : drl.findWord(name, b.then() + 1, b.end() - 1) > 0;
                    if (matches) {
                        return new RuleError(f.name(), consequenceLine(drl, b, name, statement), b.name(),
                                DroolsErrors.firstLine(text));
                    }
                }
            }
        }
        return new RuleError("(rules)", 0, null, DroolsErrors.firstLine(text));
    }

    /** Within a rule's consequence: the line using the name, else a line of the statement, else the first line. */
    private static int consequenceLine(DrlText drl, RuleBlock b, String name, String statement) {
        if (name != null) {
            int found = drl.findWord(name, b.then() + 1, b.end() - 1);
            if (found > 0) {
                return found;
            }
        }
        for (int n = b.then() + 1; n < b.end(); n++) {
            String piece = normalize(drl.line(n));
            if (!piece.isEmpty() && statement.contains(piece)) {
                return n;
            }
        }
        return b.then() + 1;
    }

    /** The line of a generated Java source (the text of its "Java source of ... in error:" message), or null. */
    private static String generatedLine(String generatedMessage, int line) {
        if (generatedMessage == null || line <= 0) {
            return null;
        }
        String[] lines = generatedMessage.split("\n", -1);
        // the message's first line is "Java source of ... in error:", then the source from its line 1
        return line < lines.length ? lines[line] : null;
    }

    /** Code without blanks and without the executable model's rewriting of `drools` and `insert(...)`. */
    private static String normalize(String code) {
        String s = code.replaceAll("//[^\n]*", "").replaceAll("\\s+", "");
        s = s.replaceAll("\\(\\([\\w.]+\\)drools\\)\\.asKnowledgeHelper\\(\\)", "drools");
        return s.replace("drools.", "");
    }
}

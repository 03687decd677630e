package dev.creditspolicy.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of DRL text, shared by the rule checker, the error locator and the self-check: a rule file's lines as
 * written, the same lines as code (comments and string literals blanked, line numbers kept), and its rules' extents.
 * Lines are numbered from 1, as analysts and Drools count them.
 */
final class DrlText {
    private static final Pattern RULE_START = Pattern.compile("^\\s*rule\\s+(?:\"([^\"]+)\"|(\\S+))");
    private static final Pattern CODE_RULE_START = Pattern.compile("^\\s*rule\\s");

    /** A rule's lines: its declaration, its `then` (0 if none) and its `end` (or the line before the next rule). */
    record RuleBlock(String name, int start, int then, int end) {
    }

    private final String[] lines;
    private final String[] code;
    private final List<RuleBlock> blocks;

    private DrlText(String content) {
        this.lines = content.split("\n", -1);
        this.code = blankCommentsAndStrings(content).split("\n", -1);
        this.blocks = scanBlocks();
    }

    static DrlText of(String content) {
        return new DrlText(content);
    }

    int lineCount() {
        return lines.length;
    }

    /** Line {@code n} as written. */
    String line(int n) {
        return lines[n - 1];
    }

    /** Line {@code n} with comments and string literals blanked: what the consequence locator searches. */
    String code(int n) {
        return code[n - 1];
    }

    List<RuleBlock> blocks() {
        return blocks;
    }

    Optional<RuleBlock> block(String name) {
        return blocks.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /** The rule whose lines hold {@code line}, or null (package, imports, comments between rules). */
    String ruleAt(int line) {
        return blocks.stream().filter(b -> b.start() <= line && line <= b.end()).map(RuleBlock::name)
                .findFirst().orElse(null);
    }

    /** First line in [from, to] that holds the text as written and is not only a comment; -1 if none. */
    int findText(String text, int from, int to) {
        if (text.isBlank()) {
            return -1;
        }
        for (int n = Math.max(from, 1); n <= Math.min(to, lines.length); n++) {
            if (lines[n - 1].contains(text) && !code[n - 1].isBlank()) {
                return n;
            }
        }
        return -1;
    }

    int findText(String text) {
        return findText(text, 1, lines.length);
    }

    /** First line in [from, to] whose code uses the name as a whole word (a rule's declaration is not code). */
    int findWord(String name, int from, int to) {
        Pattern word = Pattern.compile("(?<![\\w$])" + Pattern.quote(name) + "(?![\\w$])");
        for (int n = Math.max(from, 1); n <= Math.min(to, lines.length); n++) {
            String c = code[n - 1];
            if (!CODE_RULE_START.matcher(c).find() && word.matcher(c).find()) {
                return n;
            }
        }
        return -1;
    }

    int findWord(String name) {
        return findWord(name, 1, lines.length);
    }

    /** The consequence of a rule, from the line after `then` to the line before `end`, as written; "" if none. */
    String consequence(RuleBlock b) {
        StringBuilder body = new StringBuilder();
        for (int n = b.then() + 1; b.then() > 0 && n < b.end(); n++) {
            body.append(lines[n - 1]).append('\n');
        }
        return body.toString();
    }

    private List<RuleBlock> scanBlocks() {
        List<RuleBlock> found = new ArrayList<>();
        String name = null;
        int start = 0;
        int then = 0;
        for (int i = 0; i < lines.length; i++) {
            String t = code[i].strip();
            Matcher m = RULE_START.matcher(lines[i]);
            if (CODE_RULE_START.matcher(code[i]).find() && m.find()) {
                if (name != null) {
                    found.add(new RuleBlock(name, start, then, i));
                }
                name = m.group(1) != null ? m.group(1) : m.group(2);
                start = i + 1;
                then = 0;
            } else if (name != null && t.equals("then") && then == 0) {
                then = i + 1;
            } else if (name != null && t.equals("end")) {
                found.add(new RuleBlock(name, start, then, i + 1));
                name = null;
            }
        }
        if (name != null) {
            found.add(new RuleBlock(name, start, then, lines.length));
        }
        return List.copyOf(found);
    }

    /** The text with comments and string literals blanked (a literal becomes ""), newlines kept. */
    static String blankCommentsAndStrings(String content) {
        StringBuilder out = new StringBuilder(content.length());
        int i = 0;
        int n = content.length();
        while (i < n) {
            char c = content.charAt(i);
            if (c == '/' && i + 1 < n && content.charAt(i + 1) == '/') {
                while (i < n && content.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && content.charAt(i + 1) == '*') {
                i += 2;
                while (i < n && !(content.charAt(i) == '*' && i + 1 < n && content.charAt(i + 1) == '/')) {
                    out.append(content.charAt(i) == '\n' ? '\n' : ' ');
                    i++;
                }
                i += 2;
            } else if (c == '"') {
                out.append('"');
                i++;
                while (i < n && content.charAt(i) != '"' && content.charAt(i) != '\n') {
                    i += content.charAt(i) == '\\' ? 2 : 1;
                }
                out.append('"');
                if (i < n && content.charAt(i) == '"') {
                    i++; // an unclosed literal ends at its line: the newline is kept
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}

package dev.creditspolicy.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kie.api.builder.Message;

import dev.creditspolicy.policy.DrlText.RuleBlock;

/**
 * Turns what Drools says about a rule set into file, line and rule, the way an analyst needs it. The executable model
 * reports some mistakes (an unknown property, a bad expression) without a line, and a Java error in a consequence
 * against generated source: then the expression or name the message quotes is looked up in the rule files (and a
 * consequence's Java error traced back by {@link ConsequenceErrors}).
 */
final class DroolsErrors {
    /** Messages that quote the expression they could not compile, e.g. "Unable to parse left part of expression: X". */
    private static final List<Pattern> QUOTED_EXPRESSION = List.of(
            Pattern.compile("(?:expression|Expression):\\s*(.+)$"),
            Pattern.compile("Unable to Analyse Expression\\s+(.+?):?$"));
    /** Messages that quote only a name: a property, a class or a method the executable model could not resolve. */
    private static final List<Pattern> QUOTED_NAME = List.of(
            Pattern.compile("Unknown field ([\\w$]+) on class"),
            Pattern.compile("Unable to find class: ([\\w$.]+)"),
            Pattern.compile("^Method ([\\w$]+) on class"));
    private static final Pattern JAVA_SOURCE = Pattern.compile("^Java source of (\\S+) in error:");
    private static final Pattern NAMED_RULE = Pattern.compile("in rule \"([^\"]+)\"");
    private static final Pattern CONSEQUENCE_LINE = Pattern.compile("Unable to parse consequence caused by: \\(line (\\d+),");
    private static final Pattern FAILING_RULE = Pattern.compile("Rule \"([^\"]+)\" in ([^\\]\\s]+\\.drl)");
    /** The executable model's wording for a consequence that threw: it names the rule and its package, no file. */
    private static final Pattern FAILING_CONSEQUENCE = Pattern.compile("consequence for rule \"([^\"]+)\" in ");
    private static final Pattern LEADING_NAME = Pattern.compile("^[\\w$.]+");
    private static final String NULL_PACKAGE = "Parser returned a null Package";

    private final List<RuleFile> files;
    private final Map<String, DrlText> texts = new HashMap<>();
    private final ConsequenceErrors consequences;

    /** @param files the files as the compiler saw them (decision tables already turned into DRL) */
    DroolsErrors(List<RuleFile> files) {
        this.files = List.copyOf(files);
        files.forEach(f -> texts.put(f.name(), DrlText.of(f.content())));
        this.consequences = new ConsequenceErrors(this.files, texts);
    }

    /** Every error of a build, located; a message that only repeats another is left out. */
    List<RuleError> locateAll(List<Message> messages) {
        // a Java error in a consequence comes with a message that carries the generated source it refers to
        Map<String, String> generated = new HashMap<>();
        for (Message m : messages) {
            Matcher source = JAVA_SOURCE.matcher(m.getText() == null ? "" : m.getText());
            if (source.find()) {
                generated.put(m.getPath() == null ? source.group(1) : m.getPath(), m.getText());
            }
        }
        List<RuleError> errors = new ArrayList<>();
        for (Message m : messages) {
            if (m.getText() == null || !JAVA_SOURCE.matcher(m.getText()).find()) {
                errors.add(locate(m, generated));
            }
        }
        // the parser's "null Package" only repeats that a file it already located an error in did not parse
        List<RuleError> located = List.copyOf(errors);
        errors.removeIf(e -> e.message().startsWith(NULL_PACKAGE) && located.stream()
                .anyMatch(o -> o.file().equals(e.file()) && !o.message().startsWith(NULL_PACKAGE)));
        return errors;
    }

    /** {@code generated} holds the generated Java sources by path, to trace a consequence's Java error back. */
    RuleError locate(Message m, Map<String, String> generated) {
        String path = m.getPath() == null ? "" : m.getPath();
        String text = m.getText() == null ? "" : m.getText().strip();
        if (path.endsWith(".java")) {
            return consequences.locate(text, generated.get(path), m.getLine());
        }
        String file = baseName(path);
        int line = m.getLine();
        RuleFile source = files.stream().filter(f -> f.name().equals(file)).findFirst().orElse(null);
        if (line <= 0) {
            for (RuleFile f : source == null ? files : List.of(source)) {
                int found = findQuoted(text, texts.get(f.name()));
                if (found > 0) {
                    line = found;
                    source = f;
                    break;
                }
            }
        }
        String rule = null;
        if (source != null && line > 0) {
            DrlText drl = texts.get(source.name());
            rule = namedRule(text, drl);
            if (rule == null) {
                rule = drl.ruleAt(line);
            }
            Matcher inConsequence = CONSEQUENCE_LINE.matcher(text);
            RuleBlock block = rule == null ? null : drl.block(rule).orElse(null);
            if (block != null && block.then() > 0 && inConsequence.find()) {
                // the consequence parser counts from the `then` line of the rule
                line = block.then() + Integer.parseInt(inConsequence.group(1)) - 1;
            }
        }
        String name = source != null ? source.name() : (file.isEmpty() ? "(rules)" : file);
        return new RuleError(name, Math.max(line, 0), rule, firstLine(text));
    }

    /** The file and line of a rule named by its name (the rule an evaluation budget ran out in). */
    RuleError locateRule(String rule, String message) {
        for (Map.Entry<String, DrlText> e : texts.entrySet()) {
            var block = e.getValue().block(rule);
            if (block.isPresent()) {
                return new RuleError(e.getKey(), block.get().start(), rule, firstLine(message));
            }
        }
        return new RuleError("(self-check)", 0, rule, firstLine(message));
    }

    /** A rule set that compiles but throws: names the file and rule when Drools says which rule failed. */
    RuleError locateFailure(RuntimeException e, String message) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = FAILING_RULE.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                String name = baseName(m.group(2));
                RuleBlock block = texts.containsKey(name) ? texts.get(name).block(m.group(1)).orElse(null) : null;
                return new RuleError(name, block == null ? 0 : block.start(), block == null ? null : m.group(1),
                        firstLine(message)); // a rule of the files only: the text is an exception's
            }
            Matcher consequence = FAILING_CONSEQUENCE.matcher(String.valueOf(t.getMessage()));
            if (consequence.find()) {
                return locateRule(consequence.group(1), message);
            }
        }
        return new RuleError("(self-check)", 0, null, firstLine(message));
    }

    /** The line of the expression or name a message quotes, or -1. */
    private static int findQuoted(String message, DrlText drl) {
        String first = firstLine(message);
        for (Pattern p : QUOTED_EXPRESSION) {
            Matcher m = p.matcher(first);
            if (m.find()) {
                String expr = m.group(1).strip();
                int found = drl.findText(expr);
                if (found < 0) {
                    Matcher lead = LEADING_NAME.matcher(expr);
                    found = lead.find() ? drl.findWord(lead.group()) : -1;
                }
                if (found > 0) {
                    return found;
                }
            }
        }
        for (Pattern p : QUOTED_NAME) {
            Matcher m = p.matcher(first);
            if (m.find()) {
                String name = m.group(1);
                int found = drl.findWord(name);
                if (found < 0 && name.contains(".")) {
                    found = drl.findWord(name.substring(name.lastIndexOf('.') + 1));
                }
                if (found > 0) {
                    return found;
                }
            }
        }
        return -1;
    }

    /** The rule a message names ("... in rule \"X\""), when the file has a rule of that name. */
    private static String namedRule(String text, DrlText drl) {
        Matcher m = NAMED_RULE.matcher(firstLine(text));
        return m.find() && drl.block(m.group(1)).isPresent() ? m.group(1) : null;
    }

    private static String baseName(String path) {
        return KieBases.fileName(path.contains("/") ? path.substring(path.lastIndexOf('/') + 1) : path);
    }

    static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl).strip();
    }
}

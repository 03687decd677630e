package dev.creditspolicy.policy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.creditspolicy.policy.facts.AddonGrant;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChange;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.UsageCall;
import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;

/** Reads a rules folder and compiles it into a {@link RuleSet}, or says exactly where it is wrong. */
public final class RulesCompiler {
    private static final String RESOURCE_DIR = "src/main/resources/creditspolicy/rules/";
    /** Messages that quote the expression they could not compile, e.g. "Unable to parse left part of expression: X". */
    private static final List<Pattern> QUOTED_EXPRESSION = List.of(
            Pattern.compile("(?:expression|Expression):\\s*(.+)$"),
            Pattern.compile("Unable to Analyse Expression\\s+(.+?):?$"));
    /** Messages that quote only a name: a property, a class or a method the executable model could not resolve. */
    private static final List<Pattern> QUOTED_NAME = List.of(
            Pattern.compile("Unknown field ([\\w$]+) on class"),
            Pattern.compile("Unable to find class: ([\\w$.]+)"),
            Pattern.compile("^Method ([\\w$]+) on class"));
    /** The name a Java compiler error in a consequence is about (ecj's wording). */
    private static final List<Pattern> JAVA_NAME = List.of(
            Pattern.compile("^([\\w$]+) cannot be resolved"),
            Pattern.compile("^The (?:method|constructor|field) ([\\w$]+)"),
            Pattern.compile("^The type ([\\w$]+)"));
    private static final Pattern JAVA_SOURCE = Pattern.compile("^Java source of (\\S+) in error:");
    private static final Pattern NAMED_RULE = Pattern.compile("in rule \"([^\"]+)\"");
    private static final Pattern CONSEQUENCE_LINE = Pattern.compile("Unable to parse consequence caused by: \\(line (\\d+),");
    private static final Pattern FAILING_RULE = Pattern.compile("Rule \"([^\"]+)\" in ([^\\]\\s]+\\.drl)");
    private static final Pattern RULE_START = Pattern.compile("^\\s*rule\\s+(?:\"([^\"]+)\"|(\\S+))");
    private static final String NULL_PACKAGE = "Parser returned a null Package";

    private RulesCompiler() {
    }

    /** The rule files of a folder (.drl, and .csv decision tables), sorted by name, with their hashes. */
    public static List<RuleFile> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new RulesInvalidException(List.of(new RuleError(dir.toString(), 0, null, "rules folder not found")));
        }
        try (Stream<Path> paths = Files.list(dir)) {
            List<RuleFile> files = new ArrayList<>();
            for (Path p : paths.filter(p -> p.getFileName().toString().endsWith(".drl")
                    || DecisionTables.isTable(p.getFileName().toString())).sorted().toList()) {
                String content = Files.readString(p, StandardCharsets.UTF_8);
                files.add(new RuleFile(p.getFileName().toString(), sha256(content), content));
            }
            if (files.isEmpty()) {
                throw new RulesInvalidException(List.of(new RuleError(dir.toString(), 0, null, "no .drl file in the rules folder")));
            }
            return files;
        } catch (IOException e) {
            throw new RulesInvalidException(List.of(new RuleError(dir.toString(), 0, null, "cannot read: " + e.getMessage())));
        }
    }

    /** The rules version: a hash of every file's name and content, so equal folders give equal versions. */
    public static String version(List<RuleFile> files) {
        StringBuilder all = new StringBuilder();
        for (RuleFile f : files) {
            all.append(f.name()).append('\n').append(f.sha256()).append('\n');
        }
        return sha256(all.toString()).substring(0, 16);
    }

    public static RuleSet compile(List<RuleFile> files, Instant loadedAt) {
        String version = version(files);
        List<RuleFile> sources = DecisionTables.expand(files);
        List<RuleError> refused = new ArrayList<>();
        sources.forEach(f -> refused.addAll(RuleSandbox.check(f)));
        if (!refused.isEmpty()) {
            throw new RulesInvalidException(refused);
        }
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("dev.creditspolicy", "rules-" + version, "1.0.0");
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        for (RuleFile f : sources) {
            kfs.write(RESOURCE_DIR + f.name(), f.content());
        }
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
        List<Message> messages = builder.getResults().getMessages(Message.Level.ERROR);
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
            if (m.getText() != null && JAVA_SOURCE.matcher(m.getText()).find()) {
                continue;
            }
            errors.add(locate(m, sources, generated));
        }
        // the parser's "null Package" only repeats that a file it already located an error in did not parse
        List<RuleError> located = List.copyOf(errors);
        errors.removeIf(e -> e.message().startsWith(NULL_PACKAGE) && located.stream()
                .anyMatch(o -> o.file().equals(e.file()) && !o.message().startsWith(NULL_PACKAGE)));
        if (!errors.isEmpty()) {
            ks.getRepository().removeKieModule(releaseId);
            throw new RulesInvalidException(errors);
        }
        try {
            KieContainer container = ks.newKieContainer(releaseId);
            RuleSet rules = new RuleSet(version, files, loadedAt, container.getKieBase());
            selfCheck(rules, sources);
            return rules;
        } finally {
            // the KieBase lives on in the RuleSet; the repository need not keep every version ever built
            ks.getRepository().removeKieModule(releaseId);
        }
    }

    /** A rule set that compiles may still fail at evaluation (a missing deduction order, a throwing consequence). */
    private static void selfCheck(RuleSet rules, List<RuleFile> sources) {
        Instant t = Instant.parse("2026-07-01T00:00:00Z");
        Lot lot = new Lot("self-check", "self-check", Realm.QODER, LotSource.PLAN, Plan.PERSONAL_PRO, null,
                t, t.plusSeconds(86_400), BigDecimal.ONE);
        try {
            for (Product product : Product.values()) {
                for (Plan plan : Plan.values()) {
                    rules.evaluateUsage(new UsageCall("self-check", "self-check", Realm.QODER, plan, product,
                            Feature.EDITOR_ASK, "self-check", Outcome.SUCCEEDED, BigDecimal.ONE, t), List.of(lot));
                }
            }
            rules.evaluatePlanChange(new PlanChange("self-check", Plan.PERSONAL_COMMUNITY, Plan.PERSONAL_PRO,
                    PlanChangeKind.UPGRADE, t.plusSeconds(60)), List.of(lot));
            rules.evaluateGrant(new AddonGrant("self-check", Plan.PERSONAL_PRO, LotSource.PURCHASE, t));
        } catch (RuntimeException e) {
            throw new RulesInvalidException(List.of(selfCheckError(e, sources)));
        }
    }

    /** Names the file and rule when Drools says which rule failed ("... in [Rule "X" in path/file.drl]"). */
    static RuleError selfCheckError(RuntimeException e, List<RuleFile> files) {
        String message = "the rules compile but fail on a sample call: " + e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = FAILING_RULE.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                String name = baseName(m.group(2));
                RuleFile f = files.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
                RuleBlock block = f == null ? null : ruleBlocks(f.content()).stream()
                        .filter(b -> b.name().equals(m.group(1))).findFirst().orElse(null);
                return new RuleError(name, block == null ? 0 : block.start(), m.group(1), firstLine(message));
            }
        }
        return new RuleError("(self-check)", 0, null, firstLine(message));
    }

    /**
     * Turns a Drools message into file, line and rule. The executable model reports some mistakes (an unknown
     * property, a bad expression) without a line: then the expression or name it quotes is looked up in the file.
     */
    static RuleError locate(Message m, List<RuleFile> files) {
        return locate(m, files, Map.of());
    }

    /**
     * As {@link #locate(Message, List)}; {@code generated} holds the generated Java sources by path, so that a Java
     * error in a consequence (reported against a generated class) is traced back to the rule and line it came from.
     */
    static RuleError locate(Message m, List<RuleFile> files, Map<String, String> generated) {
        String path = m.getPath() == null ? "" : m.getPath();
        String text = m.getText() == null ? "" : m.getText().strip();
        if (path.endsWith(".java")) {
            return locateInConsequence(text, generatedLine(generated.get(path), m.getLine()), files);
        }
        String file = baseName(path);
        int line = m.getLine();
        RuleFile source = files.stream().filter(f -> f.name().equals(file)).findFirst().orElse(null);
        if (line <= 0) {
            for (RuleFile f : source == null ? files : List.of(source)) {
                int found = findQuoted(text, f.content());
                if (found > 0) {
                    line = found;
                    source = f;
                    break;
                }
            }
        }
        String rule = null;
        if (source != null && line > 0) {
            rule = namedRule(text, source.content());
            if (rule == null) {
                rule = enclosingRule(source.content(), line);
            }
            Matcher inConsequence = CONSEQUENCE_LINE.matcher(text);
            if (rule != null && inConsequence.find()) {
                // the consequence parser counts from the `then` line of the rule
                for (RuleBlock b : ruleBlocks(source.content())) {
                    if (b.name().equals(rule) && b.then() > 0) {
                        line = b.then() + Integer.parseInt(inConsequence.group(1)) - 1;
                    }
                }
            }
        }
        String name = source != null ? source.name() : (file.isEmpty() ? "(rules)" : file);
        return new RuleError(name, Math.max(line, 0), rule, firstLine(text));
    }

    /** The line of the expression or name a message quotes, or -1. */
    private static int findQuoted(String message, String content) {
        String first = firstLine(message);
        String[] lines = content.split("\n", -1);
        for (Pattern p : QUOTED_EXPRESSION) {
            Matcher m = p.matcher(first);
            if (m.find()) {
                String expr = m.group(1).strip();
                int found = findText(lines, expr);
                if (found < 0) {
                    Matcher lead = Pattern.compile("^[\\w$.]+").matcher(expr);
                    found = lead.find() ? findWord(lines, lead.group()) : -1;
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
                int found = findWord(lines, name);
                if (found < 0 && name.contains(".")) {
                    found = findWord(lines, name.substring(name.lastIndexOf('.') + 1));
                }
                if (found > 0) {
                    return found;
                }
            }
        }
        return -1;
    }

    /** First code line (not a comment) containing the text as written. */
    private static int findText(String[] lines, String text) {
        if (text.isBlank()) {
            return -1;
        }
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text) && !isComment(lines[i])) {
                return i + 1;
            }
        }
        return -1;
    }

    /** First code line using the name as a whole word, outside comments, string literals and rule names. */
    private static int findWord(String[] lines, String name) {
        Pattern word = Pattern.compile("(?<![\\w$])" + Pattern.quote(name) + "(?![\\w$])");
        for (int i = 0; i < lines.length; i++) {
            if (!isComment(lines[i]) && word.matcher(code(lines[i])).find()) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * A Java error in a consequence: the rule whose consequence contains the failing generated statement, and in it
     * the line that uses the name the error is about.
     */
    private static RuleError locateInConsequence(String text, String generatedLine, List<RuleFile> files) {
        String name = null;
        for (Pattern p : JAVA_NAME) {
            Matcher m = p.matcher(firstLine(text));
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
                String[] lines = f.content().split("\n", -1);
                for (RuleBlock b : ruleBlocks(f.content())) {
                    if (b.then() <= 0) {
                        continue;
                    }
                    StringBuilder body = new StringBuilder();
                    for (int i = b.then(); i < b.end() - 1; i++) {
                        body.append(lines[i]).append('\n');
                    }
                    boolean matches = byStatement
                            ? normalize(body.toString()).contains(statement)
                            : findWord(Arrays.copyOfRange(lines, b.then(), b.end() - 1), name) > 0;
                    if (matches) {
                        return new RuleError(f.name(), consequenceLine(lines, b, name, statement), b.name(),
                                firstLine(text));
                    }
                }
            }
        }
        return new RuleError("(rules)", 0, null, firstLine(text));
    }

    /** Within a rule's consequence: the line using the name, else a line of the statement, else the first line. */
    private static int consequenceLine(String[] lines, RuleBlock b, String name, String statement) {
        String[] body = Arrays.copyOfRange(lines, b.then(), b.end() - 1);
        if (name != null) {
            int found = findWord(body, name);
            if (found > 0) {
                return b.then() + found;
            }
        }
        for (int i = 0; i < body.length; i++) {
            String piece = normalize(body[i]);
            if (!piece.isEmpty() && statement.contains(piece)) {
                return b.then() + i + 1;
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

    private static boolean isComment(String line) {
        String t = line.strip();
        return t.startsWith("//") || t.startsWith("/*") || t.startsWith("*");
    }

    /** The line with string literals blanked and, for a rule declaration, nothing (its name is not code). */
    private static String code(String line) {
        if (RULE_START.matcher(line).find()) {
            return "";
        }
        return line.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    }

    /** The rule a message names ("... in rule \"X\""), when the file has a rule of that name. */
    private static String namedRule(String text, String content) {
        Matcher m = NAMED_RULE.matcher(firstLine(text));
        if (m.find()) {
            String name = m.group(1);
            if (ruleBlocks(content).stream().anyMatch(b -> b.name().equals(name))) {
                return name;
            }
        }
        return null;
    }

    /** A rule's lines, 1-based: its declaration, its `then` (0 if none) and its `end` (or the last line). */
    record RuleBlock(String name, int start, int then, int end) {
    }

    static List<RuleBlock> ruleBlocks(String content) {
        String[] lines = content.split("\n", -1);
        List<RuleBlock> blocks = new ArrayList<>();
        String name = null;
        int start = 0;
        int then = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = RULE_START.matcher(lines[i]);
            String t = lines[i].strip();
            if (m.find()) {
                if (name != null) {
                    blocks.add(new RuleBlock(name, start, then, i));
                }
                name = m.group(1) != null ? m.group(1) : m.group(2);
                start = i + 1;
                then = 0;
            } else if (name != null && t.equals("then") && then == 0) {
                then = i + 1;
            } else if (name != null && t.equals("end")) {
                blocks.add(new RuleBlock(name, start, then, i + 1));
                name = null;
            }
        }
        if (name != null) {
            blocks.add(new RuleBlock(name, start, then, lines.length));
        }
        return blocks;
    }

    static String enclosingRule(String content, int line) {
        String[] lines = content.split("\n", -1);
        for (int i = Math.min(line, lines.length) - 1; i >= 0; i--) {
            Matcher m = RULE_START.matcher(lines[i]);
            if (m.find()) {
                return m.group(1) != null ? m.group(1) : m.group(2);
            }
            if (i < line - 1 && lines[i].strip().equals("end")) {
                return null;
            }
        }
        return null;
    }

    private static String baseName(String path) {
        return path.contains("/") ? path.substring(path.lastIndexOf('/') + 1) : path;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl).strip();
    }

    /** Hex SHA-256 of a string's UTF-8 bytes. */
    public static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

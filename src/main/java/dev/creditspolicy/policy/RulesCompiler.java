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
import java.util.HexFormat;
import java.util.List;
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
    private static final Pattern UNPARSABLE_EXPRESSION = Pattern.compile("(?:expression|Expression):\\s*(.+)$");

    private RulesCompiler() {
    }

    /** The .drl files of a folder, sorted by name, with their hashes. */
    public static List<RuleFile> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new RulesInvalidException(List.of(new RuleError(dir.toString(), 0, null, "rules folder not found")));
        }
        try (Stream<Path> paths = Files.list(dir)) {
            List<RuleFile> files = new ArrayList<>();
            for (Path p : paths.filter(p -> p.getFileName().toString().endsWith(".drl")).sorted().toList()) {
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
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("dev.creditspolicy", "rules-" + version, "1.0.0");
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        for (RuleFile f : files) {
            kfs.write(RESOURCE_DIR + f.name(), f.content());
        }
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
        List<RuleError> errors = new ArrayList<>();
        for (Message m : builder.getResults().getMessages(Message.Level.ERROR)) {
            errors.add(locate(m, files));
        }
        if (!errors.isEmpty()) {
            ks.getRepository().removeKieModule(releaseId);
            throw new RulesInvalidException(errors);
        }
        try {
            KieContainer container = ks.newKieContainer(releaseId);
            RuleSet rules = new RuleSet(version, files, loadedAt, container.getKieBase());
            selfCheck(rules);
            return rules;
        } finally {
            // the KieBase lives on in the RuleSet; the repository need not keep every version ever built
            ks.getRepository().removeKieModule(releaseId);
        }
    }

    /** A rule set that compiles may still fail at evaluation (a missing deduction order, a throwing consequence). */
    private static void selfCheck(RuleSet rules) {
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
            throw new RulesInvalidException(List.of(new RuleError("(self-check)", 0, null,
                    "the rules compile but fail on a sample call: " + e.getMessage())));
        }
    }

    /**
     * Turns a Drools message into file, line and rule. The executable model reports some mistakes (an unknown
     * property, a bad expression) without a line: then the expression it quotes is looked up in the file.
     */
    static RuleError locate(Message m, List<RuleFile> files) {
        String path = m.getPath() == null ? "" : m.getPath();
        String file = path.contains("/") ? path.substring(path.lastIndexOf('/') + 1) : path;
        String text = m.getText() == null ? "" : m.getText().strip();
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
        String rule = source == null || line <= 0 ? null : enclosingRule(source.content(), line);
        String name = source != null ? source.name() : (file.isEmpty() ? "(rules)" : file);
        return new RuleError(name, Math.max(line, 0), rule, firstLine(text));
    }

    private static int findQuoted(String message, String content) {
        Matcher m = UNPARSABLE_EXPRESSION.matcher(firstLine(message));
        if (!m.find()) {
            return -1;
        }
        String expr = m.group(1).strip();
        String[] lines = content.split("\n", -1);
        for (String candidate : new String[] {expr, expr.split("[\\s(<>=!,]")[0]}) {
            if (candidate.isBlank()) {
                continue;
            }
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains(candidate) && !lines[i].strip().startsWith("//")) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    static String enclosingRule(String content, int line) {
        String[] lines = content.split("\n", -1);
        for (int i = Math.min(line, lines.length) - 1; i >= 0; i--) {
            Matcher m = Pattern.compile("^\\s*rule\\s+\"([^\"]+)\"").matcher(lines[i]);
            if (m.find()) {
                return m.group(1);
            }
            if (i < line - 1 && lines[i].strip().equals("end")) {
                return null;
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl).strip();
    }

    static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

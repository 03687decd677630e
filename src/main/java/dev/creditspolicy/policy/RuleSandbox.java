package dev.creditspolicy.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rule files are code: this keeps them to the facts the service supplies. A rule may import only from the facts
 * package and may not name any other class, reach the JDK by a qualified name, or use reflection, so a typo (or a
 * careless paste) cannot become a hole. Checked before compiling, at start, on reload and by {@code rules check}.
 */
final class RuleSandbox {
    static final String FACTS_PACKAGE = "dev.creditspolicy.policy.facts";
    /** Harmless java.lang types a condition may reasonably name. */
    private static final Set<String> LANG = Set.of("String", "Integer", "Long", "Boolean", "Math");
    private static final Set<String> FORBIDDEN_ROOTS = Set.of("java", "javax", "jdk", "sun", "com", "org", "net",
            "io", "kotlin", "scala", "groovy", "jakarta");
    private static final Set<String> FORBIDDEN_MEMBERS = Set.of("getClass", "forName", "getClassLoader",
            "newInstance", "getDeclaredMethod", "getMethod", "getDeclaredField", "setAccessible", "invoke", "exec",
            "exit", "halt", "getRuntime");
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(function\\s+|static\\s+)?([\\w.*]+)\\s*;?");
    private static final Pattern GLOBAL = Pattern.compile("^\\s*global\\s+");
    /** A loop or a function: a consequence that could spin forever, which no budget can stop from outside. */
    private static final Pattern LOOP = Pattern.compile("(?<![\\w$.])(while\\s*\\(|for\\s*\\(|do\\s*\\{)|^\\s*function\\s");
    private static final Pattern IDENT = Pattern.compile("(?<![\\w$.])([A-Za-z_]\\w*)(\\s*\\.\\s*[A-Za-z_]\\w*)*");

    private RuleSandbox() {
    }

    static List<RuleError> check(RuleFile file) {
        List<RuleError> errors = new ArrayList<>();
        DrlText drl = DrlText.of(file.content());
        for (int n = 1; n <= drl.lineCount(); n++) {
            String line = drl.code(n);
            Matcher imp = IMPORT.matcher(line);
            if (imp.find()) {
                String target = imp.group(2);
                if (!target.startsWith(FACTS_PACKAGE + ".")) {
                    errors.add(error(file, drl, n, "imports " + target + "; rules may import only from "
                            + FACTS_PACKAGE));
                }
                continue;
            }
            if (GLOBAL.matcher(line).find()) {
                errors.add(error(file, drl, n, "declares a global; rules get their data as facts only"));
                continue;
            }
            if (line.strip().startsWith("package ")) {
                continue;
            }
            if (LOOP.matcher(line).find()) {
                errors.add(error(file, drl, n, "loops or declares a function; a rule may not loop (an evaluation "
                        + "must end): let rules fire once per fact instead"));
                continue;
            }
            Matcher m = IDENT.matcher(line);
            while (m.find()) {
                String chain = m.group().replaceAll("\\s+", "");
                String problem = problem(chain, m.group(1));
                if (problem != null) {
                    errors.add(error(file, drl, n, problem));
                }
            }
        }
        return errors;
    }

    private static String problem(String chain, String root) {
        for (String part : chain.split("\\.")) {
            if (FORBIDDEN_MEMBERS.contains(part)) {
                return "calls " + part + "; rules may not use reflection, processes or the runtime";
            }
        }
        if (chain.contains(".") && FORBIDDEN_ROOTS.contains(root)) {
            return "names " + chain + "; rules may use only the facts of " + FACTS_PACKAGE;
        }
        if (root.equals("dev") && !chain.startsWith(FACTS_PACKAGE + ".")) {
            return "names " + chain + "; rules may use only the facts of " + FACTS_PACKAGE;
        }
        if (Character.isUpperCase(root.charAt(0)) && !LANG.contains(root) && !isFact(root)) {
            return "names " + root + ", which is not a fact of " + FACTS_PACKAGE;
        }
        return null;
    }

    private static boolean isFact(String simpleName) {
        try {
            Class.forName(FACTS_PACKAGE + "." + simpleName, false, RuleSandbox.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static RuleError error(RuleFile file, DrlText drl, int line, String message) {
        return new RuleError(file.name(), line, drl.ruleAt(line), message);
    }
}

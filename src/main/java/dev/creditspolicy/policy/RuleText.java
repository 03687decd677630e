package dev.creditspolicy.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.github.javaparser.Providers;
import com.github.javaparser.UnicodeEscapeProcessingProvider;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.*;

/** The text of a rule as the checker reads and quotes it. */
final class RuleText {
    private RuleText() {
    }

    /** The text as the Java compiler reads it: unicode escapes (\u0052) decoded. */
    static String decode(String text) {
        try (UnicodeEscapeProcessingProvider in = new UnicodeEscapeProcessingProvider(Providers.provider(text))) {
            StringBuilder out = new StringBuilder(text.length());
            char[] buffer = new char[4096];
            for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0; ) {
                out.append(buffer, 0, n);
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node as source text (Drools' printer: its nodes do not print with JavaParser's). */
    static String text(Node node) {
        return org.drools.mvel.parser.printer.PrintUtil.printNode(node);
    }

    static int lineIn(Node node) {
        return node == null ? 1 : node.getRange().map(r -> r.begin.line).orElse(1);
    }

    /** Analyst-written text quoted in a message, on one line and not too long. */
    static String shown(String text) {
        String one = "\"" + text.strip().replaceAll("\\s+", " ") + "\"";
        return one.length() <= 120 ? one : one.substring(0, 116) + "...\"";
    }

    /** What kind of Java an expression node is, for an analyst: "a lambda", "a class literal". */
    static String kind(Node n) {
        Map<Class<?>, String> kinds = Map.of(LambdaExpr.class, "a lambda",
                MethodReferenceExpr.class, "a method reference", ClassExpr.class, "a class literal (reflection)",
                ArrayCreationExpr.class, "an array", ArrayInitializerExpr.class, "an array",
                ArrayAccessExpr.class, "an array", ThisExpr.class, "this", SuperExpr.class, "super",
                SwitchExpr.class, "a switch", AssignExpr.class, "an assignment to something not a local variable");
        return kinds.getOrDefault(n.getClass(), "the construct " + n.getClass().getSimpleName().replace("Expr", "")
                + " (" + shown(text(n)) + ")");
    }
}

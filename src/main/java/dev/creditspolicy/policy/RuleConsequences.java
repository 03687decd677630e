package dev.creditspolicy.policy;

import java.util.Map;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParseStart;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Providers;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.EmptyStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.Statement;

/**
 * The consequence of a rule, read with JavaParser as the Java compiler reads it (unicode escapes decoded, so
 * {@code \u0052untime} is {@code Runtime}): statements are expressions of the allow-list, local variables and
 * {@code if}; no loop, no try, no throw, no return, no class.
 */
final class RuleConsequences {
    private RuleConsequences() {
    }

    /**
     * @param thenLine  the line of the rule's {@code then}
     * @param variables the rule's bound variables; the consequence's locals join them
     */
    static void check(RuleChecker checker, String text, int thenLine, Map<String, Class<?>> variables) {
        if (text.isBlank()) {
            return;
        }
        text = text.stripLeading();
        int first = firstLine(checker.drl(), text, thenLine);
        JavaParser parser = new JavaParser(new ParserConfiguration().setPreprocessUnicodeEscapes(true)
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));
        // the brace is on the text's first line, so the parser's lines are the consequence's
        ParseResult<BlockStmt> block = parser.parse(ParseStart.BLOCK, Providers.provider("{" + text + "\n}"));
        if (!block.isSuccessful() || block.getResult().isEmpty()) {
            int at = block.getProblems().stream().flatMap(p -> p.getLocation().stream())
                    .map(l -> l.getBegin().getRange().map(r -> r.begin.line).orElse(1)).findFirst().orElse(1);
            checker.unreadable(first + at - 1, "a consequence that is not readable Java");
            return;
        }
        try {
            statement(block.getResult().get(), new RuleExpressions(variables, null, true), variables);
        } catch (RuleRefused r) {
            // the first thing not allowed; what follows may use what it declared, so it is not checked further
            checker.refuse(first + RuleText.lineIn(r.node) - 1, r.getMessage());
        }
    }

    private static void statement(Statement s, RuleExpressions types, Map<String, Class<?>> variables) {
        if (s instanceof ExpressionStmt e && e.getExpression() instanceof VariableDeclarationExpr d) {
            for (VariableDeclarator v : d.getVariables()) {
                Class<?> value = v.getInitializer().map(types::type).orElse(null);
                Class<?> declared = v.getType().isVarType() ? value
                        : RuleMembers.valueType(v, v.getType().asString());
                if (declared == null) {
                    throw new RuleRefused(v, "declares " + v.getName() + " without a value");
                }
                variables.put(v.getNameAsString(), declared);
            }
        } else if (s instanceof ExpressionStmt e) {
            types.type(e.getExpression());
        } else if (s instanceof IfStmt i) {
            types.type(i.getCondition());
            statement(i.getThenStmt(), types, variables);
            if (i.getElseStmt().isPresent()) {
                statement(i.getElseStmt().get(), types, variables);
            }
        } else if (s instanceof BlockStmt b) {
            for (Statement inner : b.getStatements()) {
                statement(inner, types, variables);
            }
        } else if (!(s instanceof EmptyStmt)) {
            throw new RuleRefused(s, "uses " + kind(s) + ", which a consequence may not: it inserts, "
                    + "updates or deletes facts, with local variables and if/else (see docs/rule-files.md)");
        }
    }

    private static String kind(Statement s) {
        String name = s.getClass().getSimpleName().replace("Stmt", "");
        return switch (name) {
            case "For", "ForEach", "While", "Do" -> "a loop (" + name.toLowerCase() + ")";
            case "LocalClassDeclaration", "LocalRecordDeclaration" -> "a class declaration";
            default -> "a " + name.toLowerCase() + " statement";
        };
    }

    /** The file's line the consequence text starts on: the `then` line, or the first after it holding the text. */
    private static int firstLine(DrlText drl, String text, int thenLine) {
        String start = text.strip().lines().findFirst().orElse("").strip();
        int found = drl.findText(start, thenLine, drl.lineCount());
        return found > 0 ? found : thenLine;
    }
}

package dev.creditspolicy.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.EvalDescr;
import org.drools.drl.ast.descr.ExistsDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.FromDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.NotDescr;
import org.drools.drl.ast.descr.OrDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.QueryDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;
import org.drools.drl.parser.ParserError;
import org.drools.mvel.parser.DrlxParser;

import com.github.javaparser.ast.expr.Expression;

/**
 * Checks a rule file on its parsed form against {@link RuleAllowList}: the DRL with Drools' own parser, each condition
 * with Drools' constraint parser and each consequence with JavaParser, unicode escapes decoded as the Java compiler
 * decodes them. Every name is resolved; what the list does not name is refused with file, line and rule. A file the
 * parsers cannot read is {@code unreadable}: the Drools compiler then says where (it reads with the same parser), and
 * a file it compiles that the checker cannot read is refused all the same.
 */
final class RuleChecker {
    /** What the checker found: refusals, and the places it could not read. */
    record Verdict(List<RuleError> refused, List<RuleError> unreadable) {
    }

    private final RuleFile file;
    private final DrlText drl;
    private final List<RuleError> refused = new ArrayList<>();
    private final List<RuleError> unreadable = new ArrayList<>();
    private String rule;

    private RuleChecker(RuleFile file) {
        this.file = file;
        this.drl = DrlText.of(file.content());
    }

    static Verdict check(RuleFile file) {
        RuleChecker c = new RuleChecker(file);
        c.checkPackage();
        return new Verdict(List.copyOf(c.refused), List.copyOf(c.unreadable));
    }

    private void checkPackage() {
        DrlParser parser = new DrlParser();
        PackageDescr pkg;
        try {
            pkg = parser.parse(null, file.content());
        } catch (DroolsParserException | RuntimeException e) {
            pkg = null;
        }
        if (pkg == null || parser.hasErrors()) {
            parser.getErrors().forEach(e -> unreadable(e instanceof ParserError p ? p.getRow() : 0,
                    "not readable DRL"));
            if (parser.getErrors().isEmpty()) {
                unreadable(0, "not readable DRL");
            }
            return;
        }
        if (!RuleAllowList.RULES_PACKAGE.equals(pkg.getName())) {
            refuse(Math.max(drl.findWord("package"), 0), "declares the package "
                    + RuleText.shown(String.valueOf(pkg.getName())) + "; every rule file declares `package "
                    + RuleAllowList.RULES_PACKAGE + ";`");
        }
        for (ImportDescr i : pkg.getImports()) {
            String target = i.getTarget();
            boolean facts = target.equals(RuleAllowList.FACTS_PACKAGE + ".*")
                    || RuleAllowList.factClass(target) != null;
            if (!facts && RuleAllowList.pureClass(target) == null) {
                refuse(i, "imports " + target + "; a rule file may import the facts (" + RuleAllowList.FACTS_PACKAGE
                        + ".*) and the classes of the allow-list only");
            }
        }
        pkg.getFunctionImports().forEach(d -> refuse(d, "imports a function; rule files have no functions"));
        pkg.getAccumulateImports().forEach(d -> refuse(d, "imports an accumulate function; rule files have none"));
        pkg.getGlobals().forEach(d -> refuse(d, "declares a global; rules get their data as facts only"));
        pkg.getFunctions().forEach(d -> refuse(d, "declares the function " + d.getName() + "; a rule file has no "
                + "functions (a function could call itself without end)"));
        pkg.getTypeDeclarations().forEach(d -> refuse(d, "declares the type " + d.getTypeName() + "; facts come from "
                + RuleAllowList.FACTS_PACKAGE + " (a declared field's initialiser would run code)"));
        pkg.getEnumDeclarations().forEach(d -> refuse(d, "declares an enum; facts come from "
                + RuleAllowList.FACTS_PACKAGE));
        pkg.getEntryPointDeclarations().forEach(d -> refuse(d, "declares an entry point; facts come from the service"));
        pkg.getWindowDeclarations().forEach(d -> refuse(d, "declares a window; facts come from the service"));
        pkg.getAttributes().forEach(this::attribute);
        for (RuleDescr r : pkg.getRules()) {
            rule = r.getName();
            if (r instanceof QueryDescr) {
                refuse(r, "declares a query; the service asks its questions with facts");
                continue;
            }
            r.getAttributes().values().forEach(this::attribute);
            Map<String, Class<?>> variables = new LinkedHashMap<>();
            condition(r.getLhs(), variables);
            if (!r.getNamedConsequences().isEmpty()) {
                refuse(r, "has named consequences; a rule has one `then`");
            }
            RuleConsequences.check(this, String.valueOf(r.getConsequence()), r.getConsequenceLine(), variables);
        }
    }

    private void attribute(AttributeDescr a) {
        String name = a.getName();
        String value = a.getValue().strip();
        boolean literal = switch (name) {
            case "salience" -> value.matches("-?[0-9]{1,9}");
            case "dialect" -> value.equals(RuleAllowList.DIALECT);
            default -> RuleAllowList.RULE_ATTRIBUTES.contains(name);
        };
        if (!RuleAllowList.RULE_ATTRIBUTES.contains(name) || !literal) {
            refuse(a, name + " " + RuleText.shown(value) + " is not allowed: the attributes are "
                    + new java.util.TreeSet<>(RuleAllowList.RULE_ATTRIBUTES)
                    + " (salience a whole number, dialect \"" + RuleAllowList.DIALECT + "\")");
        }
    }

    private void condition(BaseDescr d, Map<String, Class<?>> variables) {
        if (d instanceof AndDescr || d instanceof OrDescr || d instanceof NotDescr || d instanceof ExistsDescr) {
            for (BaseDescr child : ((org.drools.drl.ast.descr.ConditionalElementDescr) d).getDescrs()) {
                condition(child, variables);
            }
        } else if (d instanceof PatternDescr p) {
            pattern(p, variables);
        } else if (d instanceof EvalDescr e) {
            Class<?> t = expression(e.getLine(), String.valueOf(e.getContent()), null, variables);
            if (t != null && t != boolean.class && t != Boolean.class) {
                refuse(e, "eval of something not a condition");
            }
        } else {
            refuse(d, "uses " + d.getClass().getSimpleName().replace("Descr", "").toLowerCase()
                    + "; a condition is a pattern over a fact, not, exists, or, and eval of the allow-list");
        }
    }

    private void pattern(PatternDescr p, Map<String, Class<?>> variables) {
        Class<?> type = RuleAllowList.factClass(p.getObjectType());
        if (type == null) {
            refuse(p, "matches " + p.getObjectType() + ", which is not a fact of " + RuleAllowList.FACTS_PACKAGE);
            return;
        }
        if (p.getSource() instanceof FromDescr from) {
            Class<?> t = expression(p.getLine(), from.getDataSource().getText(), null, variables);
            if (t != null && !RuleAllowList.isFact(t)) {
                refuse(p, "takes facts from " + RuleText.shown(from.getDataSource().getText())
                        + ", which is not a fact; `from` may only name a fact");
            }
        } else if (p.getSource() != null) {
            refuse(p, "takes facts from " + RuleText.shown(p.getSource().getText()) + "; a pattern matches the facts "
                    + "the service inserts (collect, accumulate, entry points and windows are not allowed)");
        }
        if (p.getIdentifier() != null) {
            variables.put(p.getIdentifier(), type);
        }
        for (BaseDescr c : p.getDescrs()) {
            if (c instanceof ExprConstraintDescr e) {
                expression(e.getLine(), e.getExpression(), type, variables);
            } else {
                refuse(c, "an unknown kind of constraint: " + RuleText.shown(c.getText()));
            }
        }
    }

    /** The type of a condition's expression, or null when refused or unreadable (reported). */
    private Class<?> expression(int line, String text, Class<?> pattern, Map<String, Class<?>> variables) {
        Expression parsed;
        try {
            parsed = DrlxParser.parseExpression(DrlxParser.buildDrlxParserWithArguments(List.of()),
                    RuleText.decode(text));
        } catch (RuntimeException e) {
            unreadable(line, "not a readable condition: " + RuleText.shown(text));
            return null;
        }
        try {
            return new RuleExpressions(variables, pattern, false).type(parsed);
        } catch (RuleRefused r) {
            // lines relative to the expression's first (Drools' constraint parser counts them from 0)
            refuse(line + RuleText.lineIn(r.node) - RuleText.lineIn(parsed), "in " + RuleText.shown(text) + ": "
                    + r.getMessage());
            return null;
        }
    }

    DrlText drl() {
        return drl;
    }

    void refuse(int line, String message) {
        refused.add(new RuleError(file.name(), line, rule != null ? rule : drl.ruleAt(line), message));
    }

    void unreadable(int line, String message) {
        unreadable.add(new RuleError(file.name(), line, rule != null ? rule : drl.ruleAt(line), message));
    }

    private void refuse(BaseDescr d, String message) {
        refuse(d.getLine() > 0 ? d.getLine() : 0, message);
    }
}

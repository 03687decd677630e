package dev.creditspolicy.policy;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.drools.mvel.parser.ast.expr.BigDecimalLiteralExpr;
import org.drools.mvel.parser.ast.expr.DrlxExpression;
import org.drools.mvel.parser.ast.expr.HalfBinaryExpr;
import org.drools.mvel.parser.ast.expr.NullSafeFieldAccessExpr;
import org.drools.mvel.parser.ast.expr.NullSafeMethodCallExpr;
import org.drools.mvel.parser.ast.expr.PointFreeExpr;

import com.github.javaparser.ast.expr.*;

/**
 * Gives every expression of a rule its type, resolving each name, field and method against {@link RuleAllowList},
 * and refuses ({@link RuleRefused}) the first one the list does not name. Conditions see the properties of their
 * pattern's fact; consequences see the fact operations. Types are classes; a type's name used as a value (the scope
 * of {@code Outcome.FAILED}) is a {@link TypeName}.
 */
final class RuleExpressions {
    /** Marks the class a name stands for (not a value of it). */
    private static final class TypeName {
    }

    private final Map<String, Class<?>> variables;
    private final Class<?> pattern;
    private final boolean consequence;
    private Class<?> typeName;

    /**
     * @param variables the names bound so far ({@code $lot}, a consequence's locals), with their types
     * @param pattern   the fact a condition is about (its properties are names), or null in a consequence
     */
    RuleExpressions(Map<String, Class<?>> variables, Class<?> pattern, boolean consequence) {
        this.variables = variables;
        this.pattern = pattern;
        this.consequence = consequence;
    }

    /** The type of {@code e}; void for a fact operation. @throws RuleRefused at the first thing not allowed */
    Class<?> type(Expression e) {
        Class<?> t = typeOrName(e);
        if (t == TypeName.class) {
            throw new RuleRefused(e, "names the class " + typeName.getSimpleName() + " where a value is expected");
        }
        return t;
    }

    private Class<?> typeOrName(Expression e) {
        if (e instanceof NullLiteralExpr) {
            return Void.class;
        } else if (e instanceof StringLiteralExpr || e instanceof TextBlockLiteralExpr) {
            return String.class;
        } else if (e instanceof IntegerLiteralExpr || e instanceof CharLiteralExpr) {
            return int.class;
        } else if (e instanceof LongLiteralExpr) {
            return long.class;
        } else if (e instanceof DoubleLiteralExpr) {
            return double.class;
        } else if (e instanceof BooleanLiteralExpr) {
            return boolean.class;
        } else if (e instanceof BigDecimalLiteralExpr) {
            return java.math.BigDecimal.class;
        } else if (e instanceof EnclosedExpr x) {
            return type(x.getInner());
        } else if (e instanceof UnaryExpr x) {
            return type(x.getExpression());
        } else if (e instanceof BinaryExpr x) {
            return binary(x);
        } else if (e instanceof ConditionalExpr x) {
            type(x.getCondition());
            type(x.getElseExpr());
            return type(x.getThenExpr());
        } else if (e instanceof AssignExpr x && consequence && x.getTarget() instanceof NameExpr n
                && variables.containsKey(n.getNameAsString())) {
            return type(x.getValue());
        } else if (e instanceof NameExpr x) {
            return name(x, x.getNameAsString());
        } else if (e instanceof FieldAccessExpr x) {
            return field(x, x.getScope(), x.getNameAsString());
        } else if (e instanceof NullSafeFieldAccessExpr x) {
            return field(x, x.getScope(), x.getNameAsString());
        } else if (e instanceof MethodCallExpr x) {
            return call(x, x.getScope().orElse(null), x.getNameAsString(), x.getArguments());
        } else if (e instanceof NullSafeMethodCallExpr x) {
            return call(x, x.getScope().orElse(null), x.getNameAsString(), x.getArguments());
        } else if (e instanceof ObjectCreationExpr x) {
            return creation(x);
        } else if (e instanceof CastExpr x) {
            type(x.getExpression());
            return RuleMembers.valueType(x, x.getType().asString());
        } else if (e instanceof InstanceOfExpr x && x.getPattern().isEmpty()) {
            type(x.getExpression());
            RuleMembers.valueType(x, x.getType().asString());
            return boolean.class;
        } else if (e instanceof DrlxExpression x) {
            Class<?> t = type(x.getExpr());
            if (x.getBind() != null) {
                // `$rate : rate != null` binds the property compared, as Drools does
                Expression bound = x.getExpr() instanceof BinaryExpr b ? b.getLeft()
                        : x.getExpr() instanceof PointFreeExpr p ? p.getLeft() : x.getExpr();
                variables.put(x.getBind().asString(), type(bound));
            }
            return t;
        } else if (e instanceof PointFreeExpr x && x.getOperator().asString().equals("in")) {
            type(x.getLeft());
            x.getRight().forEach(this::type);
            return boolean.class;
        } else if (e instanceof HalfBinaryExpr x) {
            type(x.getRight());
            return boolean.class;
        }
        throw new RuleRefused(e, "uses " + RuleText.kind(e) + ", which a rule file may not (a rule compares facts and "
                + "concludes facts; see docs/rule-files.md)");
    }

    private Class<?> binary(BinaryExpr x) {
        Class<?> left = type(x.getLeft());
        Class<?> right = type(x.getRight());
        return switch (x.getOperator()) {
            case PLUS -> left == String.class || right == String.class ? String.class : numeric(left, right);
            case MINUS, MULTIPLY, DIVIDE, REMAINDER, BINARY_AND, BINARY_OR, XOR, LEFT_SHIFT, SIGNED_RIGHT_SHIFT,
                 UNSIGNED_RIGHT_SHIFT -> numeric(left, right);
            default -> boolean.class;
        };
    }

    private static Class<?> numeric(Class<?> a, Class<?> b) {
        if (a == double.class || b == double.class) {
            return double.class;
        }
        return a == long.class || b == long.class ? long.class : a.isPrimitive() ? a : b;
    }

    /** A bound variable, a property of the pattern's fact, a context, or a class of the list. */
    private Class<?> name(Expression at, String name) {
        if (variables.containsKey(name)) {
            return variables.get(name);
        }
        if (consequence && RuleAllowList.CONTEXTS.contains(name)) {
            return RuleContext.class;
        }
        // a capitalised name is a class (Outcome.FAILED), as in Java, before it is a property
        Class<?> c = RuleAllowList.factClass(name);
        c = c != null ? c : RuleAllowList.pureClass(name);
        if (c != null) {
            typeName = c;
            return TypeName.class;
        }
        Method getter = pattern == null ? null : RuleMembers.getter(pattern, name);
        if (getter != null) {
            return RuleMembers.allowedReturn(at, getter);
        }
        throw new RuleRefused(at, "names " + name + ", which is " + (pattern == null ? "" : "no property of "
                + pattern.getSimpleName() + ", ") + "no bound variable, no fact of " + RuleAllowList.FACTS_PACKAGE
                + " and no class of the allow-list", true);
    }

    private Class<?> field(Expression at, Expression scope, String name) {
        String qualified = RuleText.text(scope) + "." + name;
        Class<?> named = qualified.startsWith(RuleAllowList.FACTS_PACKAGE + ".") ? RuleAllowList.factClass(qualified)
                : RuleAllowList.pureClass(qualified);
        if (named != null) {
            typeName = named;
            return TypeName.class;
        }
        Class<?> t;
        try {
            t = typeOrName(scope);
        } catch (RuleRefused r) {
            if (!r.unknownName || r.node != scope) {
                throw r;
            }
            throw new RuleRefused(at, "names " + qualified + ", which is no fact of " + RuleAllowList.FACTS_PACKAGE
                    + " and no class of the allow-list", true);
        }
        if (t == TypeName.class) {
            return RuleMembers.constant(at, typeName, name);
        }
        Method getter = RuleAllowList.isFact(t) ? RuleMembers.getter(t, name) : null;
        if (getter == null) {
            throw new RuleRefused(at, t.getSimpleName() + " has no property " + name + " a rule may read");
        }
        return RuleMembers.allowedReturn(at, getter);
    }

    private Class<?> call(Expression at, Expression scope, String name, List<Expression> args) {
        List<Class<?>> types = new ArrayList<>();
        args.forEach(a -> types.add(type(a)));
        Class<?> owner;
        boolean statics;
        if (scope == null && consequence) {
            return RuleMembers.factOperation(at, name, types);
        } else if (scope == null && pattern != null) {
            owner = pattern;
            statics = false;
        } else if (scope == null) {
            throw new RuleRefused(at, "calls " + name + ", which is not a fact operation ("
                    + RuleAllowList.FACT_OPERATIONS
                    + ")");
        } else {
            owner = typeOrName(scope);
            statics = owner == TypeName.class;
            owner = statics ? typeName : owner;
        }
        if (owner == RuleContext.class) {
            return name.equals(RuleAllowList.CONTEXT_RULE) && types.isEmpty() ? org.kie.api.definition.rule.Rule.class
                    : RuleMembers.factOperation(at, name, types);
        }
        if (owner == org.kie.api.definition.rule.Rule.class && name.equals(RuleAllowList.RULE_NAME)
                && types.isEmpty()) {
            return String.class;
        }
        Method m = RuleMembers.method(at, owner, name, types, statics);
        return RuleMembers.allowedReturn(at, m);
    }

    private Class<?> creation(ObjectCreationExpr x) {
        if (x.getAnonymousClassBody().isPresent() || x.getScope().isPresent()) {
            throw new RuleRefused(x, "declares a class; a rule file may not");
        }
        Class<?> c = RuleMembers.valueType(x, x.getType().getNameWithScope());
        if (!RuleAllowList.isFact(c) && !RuleAllowList.CONSTRUCTIBLE.contains(c)) {
            throw new RuleRefused(x, "creates a " + c.getSimpleName() + "; a rule may create facts and "
                    + RuleAllowList.CONSTRUCTIBLE.stream().map(Class::getSimpleName).toList() + " only");
        }
        List<Class<?>> types = new ArrayList<>();
        x.getArguments().forEach(a -> types.add(type(a)));
        if (RuleMembers.best(Arrays.asList(c.getConstructors()), types) == null) {
            throw new RuleRefused(x, c.getSimpleName() + " has no public constructor for " + RuleMembers.names(types));
        }
        return c;
    }

    /** Stands for drools/kcontext in a consequence: only the fact operations and the rule's name. */
    private interface RuleContext {
    }
}

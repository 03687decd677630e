package dev.creditspolicy.policy;

import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.drools.mvel.parser.ast.expr.BigDecimalLiteralExpr;
import org.drools.mvel.parser.ast.expr.DrlxExpression;
import org.drools.mvel.parser.ast.expr.HalfBinaryExpr;
import org.drools.mvel.parser.ast.expr.NullSafeFieldAccessExpr;
import org.drools.mvel.parser.ast.expr.NullSafeMethodCallExpr;
import org.drools.mvel.parser.ast.expr.PointFreeExpr;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.*;

/**
 * Gives every expression of a rule its type, resolving each name, field and method against {@link RuleAllowList},
 * and refuses ({@link Refused}) the first one the list does not name. Conditions see the properties of their
 * pattern's fact; consequences see the fact operations. Types are classes; a type's name used as a value (the scope
 * of {@code Outcome.FAILED}) is a {@link TypeName}.
 */
final class RuleExpressions {
    /** A refusal, at the node that is not allowed. */
    static final class Refused extends RuntimeException {
        final transient Node node;
        /** Set when the node is a name that resolves to nothing (`java` of java.io.File): a longer one may say more. */
        final boolean unknownName;

        Refused(Node node, String message) {
            this(node, message, false);
        }

        Refused(Node node, String message, boolean unknownName) {
            super(message, null, false, false);
            this.node = node;
            this.unknownName = unknownName;
        }
    }

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

    /** The type of {@code e}; void for a fact operation. @throws Refused at the first thing not allowed */
    Class<?> type(Expression e) {
        Class<?> t = typeOrName(e);
        if (t == TypeName.class) {
            throw new Refused(e, "names the class " + typeName.getSimpleName() + " where a value is expected");
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
            return RuleChecker.valueType(x, x.getType().asString());
        } else if (e instanceof InstanceOfExpr x && x.getPattern().isEmpty()) {
            type(x.getExpression());
            RuleChecker.valueType(x, x.getType().asString());
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
        throw new Refused(e, "uses " + kind(e) + ", which a rule file may not (a rule compares facts and "
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
        Method getter = pattern == null ? null : getter(pattern, name);
        if (getter != null) {
            return allowedReturn(at, getter);
        }
        throw new Refused(at, "names " + name + ", which is " + (pattern == null ? "" : "no property of "
                + pattern.getSimpleName() + ", ") + "no bound variable, no fact of " + RuleAllowList.FACTS_PACKAGE
                + " and no class of the allow-list", true);
    }

    private Class<?> field(Expression at, Expression scope, String name) {
        String qualified = RuleChecker.text(scope) + "." + name;
        Class<?> named = qualified.startsWith(RuleAllowList.FACTS_PACKAGE + ".") ? RuleAllowList.factClass(qualified)
                : RuleAllowList.pureClass(qualified);
        if (named != null) {
            typeName = named;
            return TypeName.class;
        }
        Class<?> t;
        try {
            t = typeOrName(scope);
        } catch (Refused r) {
            if (!r.unknownName || r.node != scope) {
                throw r;
            }
            throw new Refused(at, "names " + qualified + ", which is no fact of " + RuleAllowList.FACTS_PACKAGE
                    + " and no class of the allow-list", true);
        }
        if (t == TypeName.class) {
            Class<?> owner = typeName;
            try {
                Field f = owner.getField(name);
                if (Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers())
                        && RuleAllowList.isValueType(f.getType())) {
                    return f.getType();
                }
            } catch (NoSuchFieldException e) {
                // refused below
            }
            throw new Refused(at, owner.getSimpleName() + " has no constant " + name + " a rule may read");
        }
        Method getter = RuleAllowList.isFact(t) ? getter(t, name) : null;
        if (getter == null) {
            throw new Refused(at, t.getSimpleName() + " has no property " + name + " a rule may read");
        }
        return allowedReturn(at, getter);
    }

    private Class<?> call(Expression at, Expression scope, String name, List<Expression> args) {
        List<Class<?>> types = new ArrayList<>();
        args.forEach(a -> types.add(type(a)));
        Class<?> owner;
        boolean statics;
        if (scope == null && consequence) {
            return factOperation(at, name, types);
        } else if (scope == null && pattern != null) {
            owner = pattern;
            statics = false;
        } else if (scope == null) {
            throw new Refused(at, "calls " + name + ", which is not a fact operation (" + RuleAllowList.FACT_OPERATIONS
                    + ")");
        } else {
            owner = typeOrName(scope);
            statics = owner == TypeName.class;
            owner = statics ? typeName : owner;
        }
        if (owner == RuleContext.class) {
            return name.equals(RuleAllowList.CONTEXT_RULE) && types.isEmpty() ? org.kie.api.definition.rule.Rule.class
                    : factOperation(at, name, types);
        }
        if (owner == org.kie.api.definition.rule.Rule.class && name.equals(RuleAllowList.RULE_NAME) && types.isEmpty()) {
            return String.class;
        }
        Method m = method(at, owner, name, types, statics);
        return allowedReturn(at, m);
    }

    private static Class<?> factOperation(Expression at, String name, List<Class<?>> args) {
        if (!RuleAllowList.FACT_OPERATIONS.contains(name) || args.size() != 1 || !RuleAllowList.isFact(args.get(0))) {
            throw new Refused(at, "calls " + name + "; the rule context may only " + RuleAllowList.FACT_OPERATIONS
                    + " one fact of " + RuleAllowList.FACTS_PACKAGE + " and name the rule (drools.getRule().getName())");
        }
        return void.class;
    }

    private Class<?> creation(ObjectCreationExpr x) {
        if (x.getAnonymousClassBody().isPresent() || x.getScope().isPresent()) {
            throw new Refused(x, "declares a class; a rule file may not");
        }
        Class<?> c = RuleChecker.valueType(x, x.getType().getNameWithScope());
        if (!RuleAllowList.isFact(c) && !RuleAllowList.CONSTRUCTIBLE.contains(c)) {
            throw new Refused(x, "creates a " + c.getSimpleName() + "; a rule may create facts and "
                    + RuleAllowList.CONSTRUCTIBLE.stream().map(Class::getSimpleName).toList() + " only");
        }
        List<Class<?>> types = new ArrayList<>();
        x.getArguments().forEach(a -> types.add(type(a)));
        if (best(Arrays.asList(c.getConstructors()), types) == null) {
            throw new Refused(x, c.getSimpleName() + " has no public constructor for " + names(types));
        }
        return c;
    }

    /** The public method of the list that a call of {@code name} with these argument types reaches. */
    private static Method method(Expression at, Class<?> owner, String name, List<Class<?>> args, boolean statics) {
        List<Method> candidates = new ArrayList<>();
        for (Method m : owner.getMethods()) {
            if (m.getName().equals(name) && !m.isBridge() && Modifier.isStatic(m.getModifiers()) == statics
                    && allowed(owner, m)) {
                candidates.add(m);
            }
        }
        Method m = (Method) best(candidates, args);
        if (m == null) {
            throw new Refused(at, owner.getSimpleName() + (candidates.isEmpty() ? " has no " + (statics ? "static " : "")
                    + "method " + name + " a rule may call" : "." + name + " does not take " + names(args)));
        }
        return m;
    }

    private static boolean allowed(Class<?> owner, Method m) {
        if (RuleAllowList.ANY_VALUE.contains(m.getName()) && !Modifier.isStatic(m.getModifiers())) {
            return true;
        }
        if (RuleAllowList.isFact(owner)) {
            return RuleAllowList.isFact(m.getDeclaringClass());
        }
        return RuleAllowList.PURE.getOrDefault(owner, java.util.Set.of()).contains(m.getName());
    }

    /** The first executable whose parameters take the arguments (a null argument fits any reference). */
    private static Executable best(List<? extends Executable> candidates, List<Class<?>> args) {
        for (Executable c : candidates) {
            Class<?>[] params = c.getParameterTypes();
            if (params.length == args.size() && fits(params, args)) {
                return c;
            }
            if (c.isVarArgs() && args.size() >= params.length - 1) {
                Class<?>[] spread = Arrays.copyOf(params, args.size());
                Arrays.fill(spread, params.length - 1, spread.length, params[params.length - 1].getComponentType());
                if (fits(spread, args)) {
                    return c;
                }
            }
        }
        return null;
    }

    private static boolean fits(Class<?>[] params, List<Class<?>> args) {
        for (int i = 0; i < params.length; i++) {
            Class<?> p = box(params[i]);
            Class<?> a = box(args.get(i));
            boolean widening = Number.class.isAssignableFrom(p) && Number.class.isAssignableFrom(a)
                    && params[i].isPrimitive();
            if (!(a == Void.class && !params[i].isPrimitive()) && !p.isAssignableFrom(a) && !widening) {
                return false;
            }
        }
        return true;
    }

    private static Class<?> box(Class<?> c) {
        return !c.isPrimitive() ? c : c == int.class ? Integer.class : c == long.class ? Long.class
                : c == double.class ? Double.class : c == boolean.class ? Boolean.class : c == char.class
                ? Character.class : c == float.class ? Float.class : c == short.class ? Short.class : Byte.class;
    }

    private static Class<?> allowedReturn(Expression at, Method m) {
        Class<?> r = m.getReturnType();
        if (!RuleAllowList.isValueType(r)) {
            throw new Refused(at, m.getDeclaringClass().getSimpleName() + "." + m.getName() + " returns "
                    + r.getSimpleName() + ", which a rule may not use");
        }
        return r;
    }

    /** The getter of a property as Drools reads it: getX(), isX() or x(). */
    private static Method getter(Class<?> type, String property) {
        if (property.isEmpty() || !RuleAllowList.isFact(type)) {
            return null;
        }
        String cap = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        for (String name : List.of("get" + cap, "is" + cap, property)) {
            try {
                Method m = type.getMethod(name);
                if (!Modifier.isStatic(m.getModifiers()) && allowed(type, m)) {
                    return m;
                }
            } catch (NoSuchMethodException e) {
                // try the next form
            }
        }
        return null;
    }

    private static String names(List<Class<?>> types) {
        return "(" + String.join(", ", types.stream().map(t -> t == Void.class ? "null" : t.getSimpleName()).toList())
                + ")";
    }

    /** What kind of Java an expression node is, for an analyst: "a lambda", "a class literal". */
    static String kind(Node n) {
        Map<Class<?>, String> kinds = new HashMap<>(Map.of(LambdaExpr.class, "a lambda",
                MethodReferenceExpr.class, "a method reference", ClassExpr.class, "a class literal (reflection)",
                ArrayCreationExpr.class, "an array", ArrayInitializerExpr.class, "an array",
                ArrayAccessExpr.class, "an array", ThisExpr.class, "this", SuperExpr.class, "super",
                SwitchExpr.class, "a switch", AssignExpr.class, "an assignment to something not a local variable"));
        return kinds.getOrDefault(n.getClass(), "the construct " + n.getClass().getSimpleName().replace("Expr", "")
                + " (" + RuleChecker.shown(RuleChecker.text(n)) + ")");
    }

    /** Stands for drools/kcontext in a consequence: only the fact operations and the rule's name. */
    private interface RuleContext {
    }
}

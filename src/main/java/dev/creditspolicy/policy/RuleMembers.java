package dev.creditspolicy.policy;

import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.Expression;

/**
 * The members of a class a rule may reach ({@link RuleAllowList}): which methods, constructors and properties exist
 * for the arguments given, and whether the list allows them. Reflection here only reads declarations; nothing of a
 * rule runs.
 */
final class RuleMembers {
    private RuleMembers() {
    }

    /** A public constant (static final) of {@code owner} whose type a rule may use: Outcome.FAILED, BigDecimal.ONE. */
    static Class<?> constant(Expression at, Class<?> owner, String name) {
        try {
            Field f = owner.getField(name);
            if (Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers())
                    && RuleAllowList.isValueType(f.getType())) {
                return f.getType();
            }
        } catch (NoSuchFieldException e) {
            // refused below
        }
        throw new RuleRefused(at, owner.getSimpleName() + " has no constant " + name + " a rule may read");
    }

    static Class<?> factOperation(Expression at, String name, List<Class<?>> args) {
        if (!RuleAllowList.FACT_OPERATIONS.contains(name) || args.size() != 1 || !RuleAllowList.isFact(args.get(0))) {
            throw new RuleRefused(at, "calls " + name + "; the rule context may only " + RuleAllowList.FACT_OPERATIONS
                    + " one fact of " + RuleAllowList.FACTS_PACKAGE
                    + " and name the rule (drools.getRule().getName())");
        }
        return void.class;
    }

    /** The public method of the list that a call of {@code name} with these argument types reaches. */
    static Method method(Expression at, Class<?> owner, String name, List<Class<?>> args, boolean statics) {
        List<Method> candidates = new ArrayList<>();
        for (Method m : owner.getMethods()) {
            if (m.getName().equals(name) && !m.isBridge() && Modifier.isStatic(m.getModifiers()) == statics
                    && allowed(owner, m)) {
                candidates.add(m);
            }
        }
        Method m = (Method) best(candidates, args);
        if (m == null) {
            throw new RuleRefused(at, owner.getSimpleName() + (candidates.isEmpty()
                    ? " has no " + (statics ? "static " : "") + "method " + name + " a rule may call"
                    : "." + name + " does not take " + names(args)));
        }
        return m;
    }

    static boolean allowed(Class<?> owner, Method m) {
        if (RuleAllowList.ANY_VALUE.contains(m.getName()) && !Modifier.isStatic(m.getModifiers())) {
            return true;
        }
        if (RuleAllowList.isFact(owner)) {
            return RuleAllowList.isFact(m.getDeclaringClass());
        }
        return RuleAllowList.PURE.getOrDefault(owner, Set.of()).contains(m.getName());
    }

    /** The first executable whose parameters take the arguments (a null argument fits any reference). */
    static Executable best(List<? extends Executable> candidates, List<Class<?>> args) {
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

    static boolean fits(Class<?>[] params, List<Class<?>> args) {
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

    static Class<?> box(Class<?> c) {
        return !c.isPrimitive() ? c : c == int.class ? Integer.class : c == long.class ? Long.class
                : c == double.class ? Double.class : c == boolean.class ? Boolean.class : c == char.class
                ? Character.class : c == float.class ? Float.class : c == short.class ? Short.class : Byte.class;
    }

    static Class<?> allowedReturn(Expression at, Method m) {
        Class<?> r = m.getReturnType();
        if (!RuleAllowList.isValueType(r)) {
            throw new RuleRefused(at, m.getDeclaringClass().getSimpleName() + "." + m.getName() + " returns "
                    + r.getSimpleName() + ", which a rule may not use");
        }
        return r;
    }

    /** The getter of a property as Drools reads it: getX(), isX() or x(). */
    static Method getter(Class<?> type, String property) {
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

    static String names(List<Class<?>> types) {
        return "(" + String.join(", ", types.stream().map(t -> t == Void.class ? "null" : t.getSimpleName()).toList())
                + ")";
    }

    /** The class a type name in a rule stands for: a fact, a class of the list or a primitive. */
    static Class<?> valueType(Node at, String name) {
        Class<?> c = RuleAllowList.factClass(name);
        c = c != null ? c : RuleAllowList.pureClass(name);
        c = c != null ? c : switch (name) {
            case "int" -> int.class;
            case "long" -> long.class;
            case "boolean" -> boolean.class;
            case "double" -> double.class;
            default -> null;
        };
        if (c == null) {
            throw new RuleRefused(at, "names the type " + RuleText.shown(name) + ", which is not a fact of "
                    + RuleAllowList.FACTS_PACKAGE + " nor a class of the allow-list");
        }
        return c;
    }
}

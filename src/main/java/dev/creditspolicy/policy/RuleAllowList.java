package dev.creditspolicy.policy;

import static java.util.Map.entry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a rule file may name, declared once (docs/rule-files.md lists it for analysts). The list is closed: a
 * rule decides policy from the facts the service gives it and concludes facts; whatever is not named here is refused
 * by {@link RuleChecker} with file, line and rule, because a rule file is code the service runs with its own rights.
 */
final class RuleAllowList {
    /**
     * The package every rule file declares: the generated code lives there, so no name of the service's own packages
     * can be reached unqualified.
     */
    static final String RULES_PACKAGE = "creditspolicy.rules";

    /** The facts: every public constructor, method and constant of its classes (what Object adds, see below). */
    static final String FACTS_PACKAGE = "dev.creditspolicy.policy.facts";

    /** What a consequence may do with facts, called bare or on {@code drools}/{@code kcontext}: one fact each. */
    static final Set<String> FACT_OPERATIONS = Set.of("insert", "insertLogical", "update", "delete", "retract");

    /** And the one thing it may ask of the rule context: the rule's name ({@code drools.getRule().getName()}). */
    static final Set<String> CONTEXTS = Set.of("drools", "kcontext");
    static final String CONTEXT_RULE = "getRule";
    static final String RULE_NAME = "getName";

    /** Methods every value answers, facts and enums included (getClass and wait/notify are not among them). */
    static final Set<String> ANY_VALUE = Set.of("equals", "hashCode", "toString", "compareTo", "name", "ordinal");

    /**
     * The JDK classes a rule may name, each with the methods (static or not) it may call on them: pure ones, which
     * read their arguments and return a value, touching nothing else. Their public constants (BigDecimal.ZERO,
     * RoundingMode.HALF_UP, ChronoUnit.DAYS) may be read too. Every method listed returns one of these types, a fact,
     * or a primitive (RuleAllowListTest checks it), so no chain of calls leaves the list.
     */
    static final Map<Class<?>, Set<String>> PURE = Map.ofEntries(
            entry(String.class, Set.of("equals", "equalsIgnoreCase", "compareTo", "compareToIgnoreCase",
                    "startsWith", "endsWith", "contains", "isEmpty", "isBlank", "length", "toString", "valueOf")),
            entry(BigDecimal.class, Set.of("add", "subtract", "multiply", "divide", "negate", "abs", "min", "max",
                    "compareTo", "signum", "scale", "precision", "setScale", "stripTrailingZeros", "valueOf",
                    "equals", "toString", "intValue", "longValue")),
            entry(RoundingMode.class, Set.of("equals", "name")),
            entry(Instant.class, Set.of("isBefore", "isAfter", "compareTo", "equals", "plus", "minus",
                    "plusSeconds", "minusSeconds", "getEpochSecond", "ofEpochSecond", "parse", "toString")),
            entry(OffsetDateTime.class, Set.of("parse", "toInstant", "isBefore", "isAfter", "compareTo", "equals")),
            entry(Duration.class, Set.of("ofDays", "ofHours", "ofMinutes", "ofSeconds", "between", "compareTo",
                    "equals", "isNegative", "isZero", "getSeconds", "toSeconds", "toMinutes", "toHours", "toDays")),
            entry(ChronoUnit.class, Set.of("equals", "name", "between")),
            entry(Math.class, Set.of("min", "max", "abs", "addExact", "subtractExact", "multiplyExact", "floorDiv",
                    "floorMod", "signum")),
            entry(Integer.class, Set.of("valueOf", "compare", "intValue", "longValue", "equals", "compareTo")),
            entry(Long.class, Set.of("valueOf", "compare", "intValue", "longValue", "equals", "compareTo")),
            entry(Boolean.class, Set.of("valueOf", "booleanValue", "equals")),
            // what facts return as lists (DeductionOrder.getKeys, Price.getRules): read only
            entry(List.class, Set.of("size", "isEmpty", "get", "contains")),
            entry(Object.class, Set.of("equals", "hashCode", "toString")));

    /** JDK classes a rule may create with {@code new}; facts are created with their public constructors. */
    static final Set<Class<?>> CONSTRUCTIBLE = Set.of(BigDecimal.class);

    /**
     * Rule attributes that take a literal and run nothing. timer, calendars, duration, date-effective/expires and
     * enabled are not needed by the policy; dialect may only be java (another dialect is another language).
     */
    static final Set<String> RULE_ATTRIBUTES = Set.of("salience", "no-loop", "lock-on-active", "agenda-group",
            "activation-group", "dialect");
    static final String DIALECT = "java";

    private RuleAllowList() {
    }

    static boolean isFact(Class<?> c) {
        return !c.isArray() && c.getPackageName().equals(FACTS_PACKAGE);
    }

    /** A type an expression of a rule may have: a primitive, a fact, or a class of {@link #PURE}. */
    static boolean isValueType(Class<?> c) {
        return (c.isPrimitive() && c != void.class) || isFact(c) || PURE.containsKey(c) || c == Void.class;
    }

    /** A class of the JDK the list names, by its simple or full name (java.lang classes need no import). */
    static Class<?> pureClass(String name) {
        for (Class<?> c : PURE.keySet()) {
            if (c != Object.class && (c.getSimpleName().equals(name) || c.getName().equals(name))) {
                return c;
            }
        }
        return null;
    }

    /** A class of the facts package by its simple or full name; null when it has none such. */
    static Class<?> factClass(String name) {
        String simple = name.startsWith(FACTS_PACKAGE + ".") ? name.substring(FACTS_PACKAGE.length() + 1) : name;
        if (!simple.matches("[A-Z][A-Za-z0-9]*")) {
            return null; // a nested or odd name is never a fact: nothing to load
        }
        try {
            // not initialised: looking a name up runs no code of the class
            return Class.forName(FACTS_PACKAGE + "." + simple, false, RuleAllowList.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}

package dev.creditspolicy.policy;

import com.github.javaparser.ast.Node;

/** What the rule checker refuses, at the node that is not allowed; its message is the checker's own. */
final class RuleRefused extends RuntimeException {
    final transient Node node;
    /** Set when the node is a name that resolves to nothing (`java` of java.io.File): a longer one may say more. */
    final boolean unknownName;

    RuleRefused(Node node, String message) {
        this(node, message, false);
    }

    RuleRefused(Node node, String message, boolean unknownName) {
        super(message, null, false, false);
        this.node = node;
        this.unknownName = unknownName;
    }
}

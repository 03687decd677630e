package dev.creditspolicy.policy.facts;

/**
 * Present only when a decision is asked to explain itself: the rules that say why a lot is not drawn on have it
 * among their conditions, so an ordinary evaluation fires exactly the rules it would without them.
 */
public final class Explain {
}

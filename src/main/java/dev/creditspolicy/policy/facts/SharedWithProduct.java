package dev.creditspolicy.policy.facts;

/** Conclusion of the sharing matrix: the call's tier shares its credits with the call's product at occurredAt. */
public final class SharedWithProduct implements Conclusions {
}

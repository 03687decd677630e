package dev.creditspolicy.policy.facts;

/** Conclusion of sharing.drl: the account has active credits, but none the call's product may use. */
public final class NotSharedWithProduct implements Conclusions {
}

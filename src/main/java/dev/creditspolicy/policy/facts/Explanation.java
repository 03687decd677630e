package dev.creditspolicy.policy.facts;

/** A conclusion that explains a decision and decides nothing; the rules concluding only these are not listed as fired. */
public interface Explanation extends Conclusions {
}

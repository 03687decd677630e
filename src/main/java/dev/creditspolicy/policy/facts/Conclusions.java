package dev.creditspolicy.policy.facts;

/** Marker for the facts rules insert as their conclusions; the engine reads them back after firing. */
public interface Conclusions {
}

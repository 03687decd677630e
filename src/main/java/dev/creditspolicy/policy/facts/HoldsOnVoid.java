package dev.creditspolicy.policy.facts;

/**
 * What a void does to the open holds on the voided lot. RELEASE_FROM_VOID: from the void's instant their reservation
 * on that lot is gone; a commit dated at or after it draws that part as excess. KEEP_HELD: the reservation stays
 * valid, as after a plan change's shortening, and a commit charges it from the lot.
 */
public enum HoldsOnVoid {
    RELEASE_FROM_VOID, KEEP_HELD
}

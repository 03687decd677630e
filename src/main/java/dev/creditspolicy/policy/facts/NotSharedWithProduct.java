package dev.creditspolicy.policy.facts;

/**
 * Conclusion of sharing.drl: the account has active credits, but none the draw's product may use. Inserted logically:
 * truth maintenance withdraws it as soon as a lot is found eligible. All instances are equal (it carries nothing).
 */
public final class NotSharedWithProduct implements Conclusions {
    @Override
    public boolean equals(Object o) {
        return o instanceof NotSharedWithProduct;
    }

    @Override
    public int hashCode() {
        return NotSharedWithProduct.class.hashCode();
    }
}

package dev.creditspolicy.policy.facts;

/** Conclusion of pricing.drl: the price table has no price for the question's model at its instant. */
public final class Unpriced implements Conclusions {
    private final String model;

    public Unpriced(String model) {
        this.model = model;
    }

    public String getModel() { return model; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Unpriced other && other.model.equals(model);
    }

    @Override
    public int hashCode() {
        return model.hashCode();
    }
}

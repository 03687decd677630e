package dev.creditspolicy.policy.facts;

/** Conclusion of a rule that refuses a request outright; {@code problem} is the problem+json slug. */
public final class Refusal implements Conclusions {
    private final String problem;
    private final String message;

    public Refusal(String problem, String message) {
        this.problem = problem;
        this.message = message;
    }

    public String getProblem() { return problem; }
    public String getMessage() { return message; }
}

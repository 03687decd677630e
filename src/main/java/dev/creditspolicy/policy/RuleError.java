package dev.creditspolicy.policy;

/** One mistake in a rule file, located for the analyst who has to fix it. */
public record RuleError(String file, int line, String rule, String message) {

    @Override
    public String toString() {
        return file + ":" + line + (rule == null ? "" : " (rule \"" + rule + "\")") + ": " + message;
    }
}

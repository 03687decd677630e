package dev.creditspolicy.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A rule set that cannot serve: it does not compile, or it fails its self-check. */
public class RulesInvalidException extends RuntimeException {
    private final List<RuleError> errors;

    public RulesInvalidException(List<RuleError> errors) {
        super(errors.stream().map(RuleError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<RuleError> errors() {
        return errors;
    }
}

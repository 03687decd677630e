package dev.creditspolicy.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A rule set that cannot serve: it does not compile, or it fails its self-check. */
public class RulesInvalidException extends RuntimeException {
    private final List<RuleError> errors;
    private final List<RuleFile> files;

    public RulesInvalidException(List<RuleError> errors) {
        this(errors, List.of());
    }

    RulesInvalidException(List<RuleError> errors, List<RuleFile> files) {
        super(errors.stream().map(RuleError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
        this.files = List.copyOf(files);
    }

    /** The same refusal, naming the files that were refused (for the reload audit). */
    RulesInvalidException withFiles(List<RuleFile> refused) {
        return new RulesInvalidException(errors, refused);
    }

    /** The files that were refused, when they could be read. */
    public List<RuleFile> files() {
        return files;
    }

    public List<RuleError> errors() {
        return errors;
    }
}

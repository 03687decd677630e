package dev.creditspolicy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.creditspolicy.support.CandidateRules;
import dev.creditspolicy.support.TestServices;

/** Candidate rule folders for tests: a copy of the repository's rules/, changed the way an analyst would. */
final class RulesFolders {
    static final String ENTERPRISE_IDE = CandidateRules.ENTERPRISE_IDE;

    private RulesFolders() {
    }

    static Path copyOfRepositoryRules(Path target) {
        return TestServices.copyOfRules(target);
    }

    /** The repository's rules with "plan before add-on" inverted: at equal expiry, add-on credits go first. */
    static Path withAddonBeforePlan(Path target) throws IOException {
        Path rules = copyOfRepositoryRules(target);
        String priority = Files.readString(rules.resolve("priority.drl"));
        String inverted = priority.replace("OrderKey.PLAN_BEFORE_ADDON", "OrderKey.ADDON_BEFORE_PLAN");
        if (inverted.equals(priority)) {
            throw new IllegalStateException("priority.drl no longer names OrderKey.PLAN_BEFORE_ADDON");
        }
        Files.writeString(rules.resolve("priority.drl"), inverted);
        return rules;
    }

    static Path withEnterpriseIde(Path target) throws IOException {
        Path rules = copyOfRepositoryRules(target);
        Files.writeString(rules.resolve("sharing.drl"), ENTERPRISE_IDE, StandardOpenOption.APPEND);
        return rules;
    }
}

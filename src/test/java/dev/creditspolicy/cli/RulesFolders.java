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

    /** The README's price change: qwen3-max costs half as much again from 2026-10-01T00:00+08:00 (prices.csv). */
    static final String QWEN3_MAX_BEFORE = "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,";
    static final String QWEN3_MAX_AFTER = "qwen3-max rates until 2026-10-01,qwen3-max,,2026-10-01T00:00+08:00,0.6,0.15,2.4,\n"
            + "qwen3-max rates from 2026-10-01,qwen3-max,2026-10-01T00:00+08:00,,0.9,0.225,3.6,";

    static Path withQwen3MaxPriceRise(Path target) throws IOException {
        Path rules = copyOfRepositoryRules(target);
        Path prices = rules.resolve("tables/prices.csv");
        String table = Files.readString(prices);
        if (!table.contains(QWEN3_MAX_BEFORE)) {
            throw new IllegalStateException("prices.csv no longer has the row " + QWEN3_MAX_BEFORE);
        }
        Files.writeString(prices, table.replace(QWEN3_MAX_BEFORE, QWEN3_MAX_AFTER));
        return rules;
    }

    static Path withEnterpriseIde(Path target) throws IOException {
        Path rules = copyOfRepositoryRules(target);
        Files.writeString(rules.resolve("sharing.drl"), ENTERPRISE_IDE, StandardOpenOption.APPEND);
        return rules;
    }
}

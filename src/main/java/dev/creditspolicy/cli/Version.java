package dev.creditspolicy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RulesInvalidException;

/**
 * {@code --version}: the build's version (META-INF/build-info.properties, written by the Spring Boot Maven plugin),
 * and the version of the rules in ./rules when that folder is there (hashed, not compiled: instant).
 */
final class Version implements IVersionProvider {
    static final Path RULES = Path.of("rules");

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("credits-policy " + build());
        if (Files.isDirectory(RULES)) {
            try {
                lines.add("rules " + RULES.toAbsolutePath().normalize() + ": version " + PolicyEngine.versionOf(RULES));
            } catch (RulesInvalidException e) {
                lines.add("rules " + RULES.toAbsolutePath().normalize() + ": unreadable (" + e.getMessage() + ")");
            }
        }
        return lines.toArray(String[]::new);
    }

    static String build() {
        try (InputStream in = Version.class.getResourceAsStream("/META-INF/build-info.properties")) {
            if (in == null) {
                return "(unknown: no build-info in this build)";
            }
            Properties info = new Properties();
            info.load(in);
            return info.getProperty("build.version", "(unknown)");
        } catch (IOException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }
}

package dev.creditspolicy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The corpus of hostile rule files (src/test/resources/hostile-rules/): each trick of issue 24 and its relatives, as
 * a file an analyst's key could put in the rules folder. A file's payload would create {@code MARKER_PATH} (replaced
 * by a test's own path) or read the secret system property {@link #SECRET_PROPERTY}; neither may ever happen.
 */
public final class HostileRules {
    public static final Path CORPUS = Path.of("src/test/resources/hostile-rules");
    public static final String SECRET_PROPERTY = "credits.test.secret";
    /** The file the candidate adds to a copy of the repository's rules. */
    public static final String FILE = "hostile.drl";
    private static final String SECRET = "secret-" + UUID.randomUUID();

    private HostileRules() {
    }

    /** The corpus's file names, sorted; a corpus that has none fails (a check that checks nothing must not pass). */
    public static List<String> corpus() {
        try (Stream<Path> files = Files.list(CORPUS)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".drl")).sorted()
                    .toList();
            if (names.size() < 20) {
                throw new IllegalStateException("the hostile corpus has only " + names.size() + " files");
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets the secret the payloads try to read (a system property of this JVM) and returns it. */
    public static String secret() {
        System.setProperty(SECRET_PROPERTY, SECRET);
        return SECRET;
    }

    /** The hostile file's text, its payload aimed at {@code marker}. */
    public static String text(String name, Path marker) {
        try {
            return Files.readString(CORPUS.resolve(name)).replace("MARKER_PATH", marker.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the hostile file into a rules folder (as {@link #FILE}). */
    public static void addTo(Path rules, String name, Path marker) {
        try {
            Files.writeString(rules.resolve(FILE), text(name, marker));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the repository's rules with the hostile file added. */
    public static Path candidate(Path dir, String name, Path marker) {
        Path rules = TestServices.copyOfRules(dir);
        addTo(rules, name, marker);
        return rules;
    }
}

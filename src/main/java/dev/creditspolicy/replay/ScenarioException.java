package dev.creditspolicy.replay;

/** A scenario file that cannot be run as written: reported with file and line, and counted as a failure. */
public class ScenarioException extends RuntimeException {
    private final String file;
    private final int line;

    public ScenarioException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    public String file() { return file; }
    public int line() { return line; }
}

package io.lanyard.cli;

import java.nio.file.Path;

/**
 * Paths on the command line are relative to where the person stands. The {@code ./lanyard} script
 * builds in the repository but passes the caller's directory as {@code -Dlanyard.cwd}, and every
 * {@code Path} option and parameter is resolved against it; without it, against the JVM's own
 * working directory, as {@code java -jar} users expect.
 */
final class CallerPaths {
    static final String PROPERTY = "lanyard.cwd";

    private CallerPaths() {
    }

    static Path resolve(String value) {
        Path path = Path.of(value);
        String cwd = System.getProperty(PROPERTY);
        return cwd == null || cwd.isBlank() || path.isAbsolute() ? path : Path.of(cwd).resolve(path).normalize();
    }
}

package io.lanyard.admin;

import io.lanyard.config.LanyardConfigException;

/**
 * A declarative file that cannot be applied; the message names the file, the line and the field
 * ({@code file:line: field: message}), or only the file when no line is to blame (it cannot be read).
 */
public final class ConfigFileException extends LanyardConfigException {
    public ConfigFileException(String file, int line, String field, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + (field == null ? "" : field + ": ") + message);
    }
}

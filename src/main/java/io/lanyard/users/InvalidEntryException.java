package io.lanyard.users;

/**
 * A user or group that breaks a rule (a bad name, a duplicate, a membership cycle);
 * {@code field} is the name used in the declarative file, so errors can point at a line.
 */
public final class InvalidEntryException extends RuntimeException {
    private final String field;

    public InvalidEntryException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The message without the field prefix. */
    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}

package io.lanyard.cli;

/** A command that cannot do what was asked; its message is printed as it is. */
public final class CommandFailure extends RuntimeException {
    private final int exitCode;

    public CommandFailure(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public CommandFailure(String message) {
        this(message, 1);
    }

    public int exitCode() {
        return exitCode;
    }
}

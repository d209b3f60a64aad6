package io.lanyard.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Passwords come from a prompt without echo or from standard input, never from an argument
 * (arguments end up in shell history and in every process listing).
 */
final class PasswordInput {
    private PasswordInput() {
    }

    /** Prompts twice on a terminal; otherwise (or with {@code fromStdin}) reads one line of standard input. */
    static String read(boolean fromStdin) {
        Console console = fromStdin ? null : terminal();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] second = console.readPassword("Password again: ");
            if (first == null || second == null) {
                throw new CommandFailure("no password given", 2);
            }
            if (!Arrays.equals(first, second)) {
                throw new CommandFailure("the two passwords differ", 2);
            }
            return new String(first);
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new CommandFailure("no password on standard input", 2);
            }
            return line;
        } catch (IOException e) {
            throw new CommandFailure("cannot read standard input: " + e.getMessage(), 1);
        }
    }

    /** The console, when there is a person at it (Java 22+ returns one for redirected streams too). */
    private static Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console) ? console : null;
        } catch (ReflectiveOperationException e) {
            return console; // before Java 22 a console exists only for a terminal
        }
    }
}

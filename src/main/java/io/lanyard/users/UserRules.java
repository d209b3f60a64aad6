package io.lanyard.users;

import java.util.regex.Pattern;

/** The rules users and groups must meet, wherever they come from (CLI, declarative file). */
public final class UserRules {
    /** ASCII only: lower-casing then means the same thing everywhere (no Turkish dotless i). */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]{1,64}@[^\\s@]+\\.[^\\s@]+");
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 1024;

    private UserRules() {
    }

    public static boolean isUsername(String username) {
        return username != null && USERNAME.matcher(username).matches();
    }

    public static void validate(User u) {
        if (!isUsername(u.username())) {
            throw new InvalidEntryException("username", "must be 1-128 characters of A-Z a-z 0-9 . _ @ + - and start "
                    + "with a letter or digit");
        }
        if (u.email() != null && (u.email().length() > 254 || !EMAIL.matcher(u.email()).matches())) {
            throw new InvalidEntryException("email", "'" + u.email() + "' is not an email address");
        }
        if (u.emailVerified() && u.email() == null) {
            throw new InvalidEntryException("emailVerified", "needs an email");
        }
        if (u.displayName() != null && (u.displayName().isBlank() || u.displayName().length() > 255)) {
            throw new InvalidEntryException("displayName", "must be 1-255 characters");
        }
    }

    public static void validate(Group g) {
        validateGroupName("name", g.name());
        if (g.description() != null && g.description().length() > 1024) {
            throw new InvalidEntryException("description", "must be at most 1024 characters");
        }
    }

    public static void validateGroupName(String field, String name) {
        if (name == null || !GROUP.matcher(name).matches()) {
            throw new InvalidEntryException(field, "'" + name + "' is not a group name: 1-128 characters of "
                    + "A-Z a-z 0-9 . _ : @ / - starting with a letter or digit");
        }
        if (name.startsWith("system:")) {
            // kube-apiserver would honour e.g. system:masters from a token: cluster-admin by typo
            throw new InvalidEntryException(field, "'" + name + "': names starting with system: are Kubernetes' own");
        }
    }

    /** For passwords a person sets; stored hashes are checked by {@link PasswordHasher#problemWith}. */
    public static void validatePassword(String field, String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw new InvalidEntryException(field, "a password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD
                    + " characters");
        }
    }
}

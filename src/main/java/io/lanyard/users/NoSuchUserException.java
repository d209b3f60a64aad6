package io.lanyard.users;

public final class NoSuchUserException extends RuntimeException {
    public NoSuchUserException(String username) {
        super("no user '" + username + "'");
    }
}

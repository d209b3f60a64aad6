package io.lanyard.users;

public final class NoSuchGroupException extends RuntimeException {
    public NoSuchGroupException(String name) {
        super("no group '" + name + "'");
    }
}

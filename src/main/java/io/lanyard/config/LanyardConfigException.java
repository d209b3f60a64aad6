package io.lanyard.config;

/** Configuration that cannot work; Main prints the message alone and exits non-zero. */
public class LanyardConfigException extends RuntimeException {
    public LanyardConfigException(String message) {
        super(message);
    }

    public LanyardConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}

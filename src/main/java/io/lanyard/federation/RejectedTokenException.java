package io.lanyard.federation;

/**
 * An external token that is not accepted. The message is safe to return to the caller: it says
 * what kind of check failed, never which issuers, keys or service accounts are configured.
 * Expected on bad input, so it carries no stack trace.
 */
public final class RejectedTokenException extends RuntimeException {
    public RejectedTokenException(String message) {
        super(message, null, false, false);
    }
}

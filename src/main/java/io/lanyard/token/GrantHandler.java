package io.lanyard.token;


import java.util.List;
import java.util.Map;

/** One grant type: a {@link GrantRequest} in, a token out. */
public interface GrantHandler {
    String grantType();

    /** True when the handler reads or writes the database, so it must not run on the event loop. */
    default boolean blocking() {
        return false;
    }

    /** Per request, for grants where only some requests need the blocking pool. */
    default boolean blocking(Map<String, List<String>> parameters) {
        return blocking();
    }

    /**
     * True when the grant itself names the client (RFC 7523: the assertion maps to one), so a request
     * without client credentials reaches {@link #handle} with a null client.
     */
    default boolean identifiesClient() {
        return false;
    }

    IssuedToken handle(GrantRequest request);
}

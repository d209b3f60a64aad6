package io.lanyard.token;

import io.lanyard.clients.Client;

import java.util.List;
import java.util.Map;

/** One grant type: the request's parameters and its authenticated client in, a token out. */
public interface GrantHandler {
    String grantType();

    /** True when the handler reads or writes the database, so it must not run on the event loop. */
    default boolean blocking() {
        return false;
    }

    IssuedToken handle(Client client, Map<String, List<String>> parameters);
}

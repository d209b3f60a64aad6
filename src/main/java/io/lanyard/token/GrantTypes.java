package io.lanyard.token;

import java.util.Set;

public final class GrantTypes {
    public static final String CLIENT_CREDENTIALS = "client_credentials";

    /** Grant types this build implements; discovery and client validation use the same set. */
    public static final Set<String> SUPPORTED = Set.of(CLIENT_CREDENTIALS);

    private GrantTypes() {
    }
}

package io.lanyard.discovery;

/** Paths of the endpoints, relative to the issuer. */
public final class Endpoints {
    public static final String TOKEN = "/token";
    public static final String JWKS = "/jwks";

    private Endpoints() {
    }
}

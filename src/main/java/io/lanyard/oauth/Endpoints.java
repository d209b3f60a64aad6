package io.lanyard.oauth;

/** Paths of the endpoints, relative to the issuer. */
public final class Endpoints {
    public static final String TOKEN = "/token";
    public static final String JWKS = "/jwks";
    public static final String AUTHORIZE = "/authorize";
    public static final String LOGIN = "/login";
    public static final String USERINFO = "/userinfo";
    public static final String LOGOUT = "/logout";

    private Endpoints() {
    }
}

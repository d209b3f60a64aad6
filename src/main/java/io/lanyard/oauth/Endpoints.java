package io.lanyard.oauth;

/** Paths of the endpoints, relative to the issuer. */
public final class Endpoints {
    public static final String TOKEN = "/token";
    public static final String JWKS = "/jwks";
    public static final String AUTHORIZE = "/authorize";
    public static final String LOGIN = "/login";
    public static final String USERINFO = "/userinfo";
    public static final String LOGOUT = "/logout";
    public static final String INTROSPECT = "/introspect";
    public static final String REVOKE = "/revoke";
    /** RFC 8628 3.1: where a device asks for a device code and a user code. */
    public static final String DEVICE_AUTHORIZATION = "/device/code";
    /** RFC 8628 3.3: the page where the user types the user code. */
    public static final String DEVICE_VERIFICATION = "/device";
    /** kube-apiserver's authentication webhook (authentication.k8s.io TokenReview). */
    public static final String TOKEN_REVIEW = "/tokenreview";
    /** Where a redirect connector's button sends the browser on its way to the upstream. */
    public static final String LOGIN_UPSTREAM = "/login/upstream";
    /** Where an upstream OpenID provider sends the browser back (Dex's redirectURI: issuer + /callback). */
    public static final String CALLBACK = "/callback";

    private Endpoints() {
    }
}

package io.lanyard.oauth;

import java.util.Set;

public final class GrantTypes {
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** RFC 7523 section 2.1: a JWT from a trusted issuer (a Kubernetes service-account token) as the grant. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /** RFC 8628 section 3.4: a device polls with the device code until its user approves. */
    public static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";

    /** Grant types this build implements; discovery and client validation use the same set. */
    public static final Set<String> SUPPORTED = Set.of(CLIENT_CREDENTIALS, AUTHORIZATION_CODE, REFRESH_TOKEN,
            TOKEN_EXCHANGE, JWT_BEARER, DEVICE_CODE);

    private GrantTypes() {
    }
}

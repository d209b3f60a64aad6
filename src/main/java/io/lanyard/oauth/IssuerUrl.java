package io.lanyard.oauth;

/**
 * An issuer identifier is compared byte for byte (RFC 8414 section 3.3, OIDC Discovery 4.3), so it
 * is never rewritten; endpoint URLs are built on it without doubling a trailing slash.
 */
public final class IssuerUrl {
    private IssuerUrl() {
    }

    /** The issuer without one trailing slash: the base that endpoint paths are appended to. */
    public static String base(String issuer) {
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    /** The URL of an endpoint of this issuer, e.g. {@code endpoint(issuer, Endpoints.TOKEN)}. */
    public static String endpoint(String issuer, String path) {
        return base(issuer) + path;
    }
}

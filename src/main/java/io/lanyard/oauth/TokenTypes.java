package io.lanyard.oauth;

/** RFC 8693 section 3 token type identifiers, as {@code subject_token_type}, {@code requested_token_type} and {@code issued_token_type} name them. */
public final class TokenTypes {
    public static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    public static final String REFRESH_TOKEN = "urn:ietf:params:oauth:token-type:refresh_token";
    public static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
    public static final String JWT = "urn:ietf:params:oauth:token-type:jwt";

    private TokenTypes() {
    }
}

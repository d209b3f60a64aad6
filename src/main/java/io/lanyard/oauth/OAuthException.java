package io.lanyard.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;

/**
 * An RFC 6749 section 5.2 error. Expected on bad input, so it carries no stack trace: refusing a
 * request costs no more than answering it.
 */
public final class OAuthException extends RuntimeException {
    private final transient ErrorObject error;

    public OAuthException(ErrorObject error) {
        super(error.getCode() + ": " + error.getDescription(), null, false, false);
        this.error = error;
    }

    public ErrorObject error() {
        return error;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuth2Error.INVALID_REQUEST.setDescription(description));
    }

    public static OAuthException invalidClient(String description) {
        return new OAuthException(OAuth2Error.INVALID_CLIENT.setDescription(description));
    }

    public static OAuthException unauthorizedClient(String description) {
        return new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT.setDescription(description));
    }

    public static OAuthException unsupportedGrantType(String description) {
        return new OAuthException(OAuth2Error.UNSUPPORTED_GRANT_TYPE.setDescription(description));
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException(OAuth2Error.INVALID_GRANT.setDescription(description));
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException(OAuth2Error.INVALID_SCOPE.setDescription(description));
    }

    /** RFC 8707 section 2. */
    public static OAuthException invalidTarget(String description) {
        return new OAuthException(new ErrorObject("invalid_target", description, 400));
    }

    /** RFC 7009 2.2.1: a {@code token_type_hint} this server does not know. */
    public static OAuthException unsupportedTokenType(String description) {
        return new OAuthException(new ErrorObject("unsupported_token_type", description, 400));
    }

    public static OAuthException temporarilyUnavailable(String description) {
        return new OAuthException(OAuth2Error.TEMPORARILY_UNAVAILABLE.setDescription(description));
    }
}

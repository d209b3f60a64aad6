package io.lanyard.token;

import java.time.Instant;

/**
 * Which access token a grant gave out, kept beside the code or refresh token it came from so that
 * ending the grant can revoke it (RFC 6749 4.1.2, RFC 7009 2.1).
 */
public record AccessTokenId(String jti, Instant expiresAt) {
}

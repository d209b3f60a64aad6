package io.lanyard.users;

import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * A provider the browser is sent to (an upstream OpenID provider): a button on the login page. The
 * flow around it (the pending login, the browser it must come back to, the session after) is the
 * login pages'; the connector speaks to the upstream.
 */
public non-sealed interface RedirectConnector extends Connector {

    /** Where to send the browser for {@code ask}. */
    URI authorizationUrl(Ask ask) throws ConnectorUnavailableException;

    /**
     * One trip to the upstream. {@code state}, {@code nonce} and the PKCE verifier are the caller's to
     * keep until the callback; the rest passes on what the client asked of Lanyard.
     *
     * @param offline    the client asked for {@code offline_access}: ask the upstream for a refresh token
     * @param forceLogin the client sent {@code prompt=login}: the upstream's session must not do
     * @param maxAge     the client's {@code max_age}, passed on; null when it sent none
     */
    record Ask(String state, String nonce, String codeVerifier, boolean offline, boolean forceLogin,
               @Nullable Long maxAge) {
        @Override
        public String toString() {
            return "Ask[offline=" + offline + ", forceLogin=" + forceLogin + ", maxAge=" + maxAge + "]";
        }
    }

    /**
     * RFC 9207 on the callback: {@code iss} (null when absent) must name this upstream, and must be
     * present when the upstream says it always sends it. False is a mix-up or a forged callback.
     */
    boolean callbackIssuerAccepted(@Nullable String iss) throws ConnectorUnavailableException;

    /** Redeems the callback's code and verifies the upstream's id_token against what was sent. */
    Answer redeem(String code, String codeVerifier, String nonce) throws ConnectorUnavailableException;

    /**
     * The person as the upstream describes them now, by the upstream refresh token their last login
     * left: a refresh of Lanyard's tokens re-validates them with the upstream.
     */
    Answer refresh(String refreshToken) throws ConnectorUnavailableException;

    /**
     * The longest a call to the upstream ({@link #refresh}, with the discovery and key fetches it may
     * need) can take: how long a refresh holds the person's upstream token, and how long another
     * refresh of the same person waits for it.
     */
    Duration longestCall();

    /** What the upstream answered. */
    sealed interface Answer permits Verified, Refused {
    }

    /**
     * @param refreshToken the upstream's refresh token to keep (a rotated one replaces the old), or null
     * @param authTime     when the person last authenticated at the upstream (the id_token's
     *                     {@code auth_time}), or null when it did not say
     */
    record Verified(UpstreamIdentity identity, @Nullable String refreshToken, @Nullable Instant authTime)
            implements Answer {
        @Override
        public String toString() {
            return "Verified[" + identity.upstreamId() + "]";
        }
    }

    /** The upstream said no (a refused code or refresh token), or what it sent does not verify. */
    record Refused(String reason) implements Answer {
    }
}

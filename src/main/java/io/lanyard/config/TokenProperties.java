package io.lanyard.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * @param accessTokenLifetime  lifetime of an access token when the client sets none (10 minutes:
 *                             long enough for a batch of calls, short enough that a leaked token
 *                             is soon useless, since JWT access tokens cannot be recalled)
 * @param idTokenLifetime      lifetime of an id_token when the client sets none; kube-apiserver
 *                             accepts it until it expires, so this bounds how long a removed group
 *                             keeps working (kubelogin refreshes when it runs out)
 * @param maxLifetime          no token lives longer; retired keys are kept published this long
 * @param maxBodyBytes         largest token request body accepted
 * @param codeLifetime         an authorization code must be redeemed within this
 * @param refreshIdleLifetime  a refresh token not used for this long is dead
 * @param refreshMaxLifetime   no refresh family outlives this from the login that started it
 * @param refreshGrace         a rotated refresh token presented again within this gets the same
 *                             answer as the first time (two kubectl processes racing); after it,
 *                             reuse revokes the family
 */
@ConfigurationProperties("lanyard.tokens")
public record TokenProperties(
        @Bindable(defaultValue = "10m") Duration accessTokenLifetime,
        @Bindable(defaultValue = "10m") Duration idTokenLifetime,
        @Bindable(defaultValue = "24h") Duration maxLifetime,
        @Bindable(defaultValue = "16384") int maxBodyBytes,
        @Bindable(defaultValue = "60s") Duration codeLifetime,
        @Bindable(defaultValue = "7d") Duration refreshIdleLifetime,
        @Bindable(defaultValue = "30d") Duration refreshMaxLifetime,
        @Bindable(defaultValue = "10s") Duration refreshGrace) {
}

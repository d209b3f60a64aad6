package io.lanyard.token;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * @param accessTokenLifetime lifetime of an access token when the client sets none (10 minutes:
 *                            long enough for a batch of calls, short enough that a leaked token
 *                            is soon useless, since JWT access tokens cannot be recalled)
 * @param maxLifetime         no token lives longer; retired keys are kept published this long
 * @param maxBodyBytes        largest token request body accepted
 */
@ConfigurationProperties("lanyard.tokens")
public record TokenProperties(
        @Bindable(defaultValue = "10m") Duration accessTokenLifetime,
        @Bindable(defaultValue = "24h") Duration maxLifetime,
        @Bindable(defaultValue = "16384") int maxBodyBytes) {
}

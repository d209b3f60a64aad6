package io.lanyard.token;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The device authorization grant (RFC 8628).
 *
 * @param codeLifetime           a device code and its user code live this long (RFC 8628 3.2 {@code expires_in})
 * @param interval               the least time between two polls (3.2 {@code interval}); a device
 *                               polling sooner gets {@code slow_down} and 5 s more (3.5)
 * @param freeGuessesPerAddress  user codes typed from one address before delays start
 * @param freeGuesses            user codes typed from everywhere before delays start (5.1: the code
 *                               space is small enough that guessing must be bounded overall)
 */
@ConfigurationProperties("lanyard.device")
public record DeviceProperties(
        @Bindable(defaultValue = "10m") Duration codeLifetime,
        @Bindable(defaultValue = "5s") Duration interval,
        @Bindable(defaultValue = "10") int freeGuessesPerAddress,
        @Bindable(defaultValue = "1000") int freeGuesses) {
}

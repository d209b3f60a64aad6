package io.lanyard.authorize;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * @param sessionLifetime       a browser session lasts this long from the login (a working day);
 *                              within it a second /authorize skips the login page
 * @param freeFailuresPerAccount failed logins for one account name before delays start
 * @param freeFailuresPerAddress failed logins from one source address before delays start
 * @param firstDelay            the first delay; each further failure doubles it
 * @param maxDelay              delays grow no longer than this, so an attacker cannot lock a victim
 *                              out for good by failing on purpose
 * @param failureWindow         failures older than this are forgotten
 * @param clientAddressHeader   behind a proxy, the header it sets to the client's address (e.g.
 *                              X-Forwarded-For; its last value is used, the one the proxy added).
 *                              Unset: the TCP peer's address, since a header a client can set
 *                              itself would let it dodge the per-address throttle
 */
@ConfigurationProperties("lanyard.login")
public record LoginProperties(
        @Bindable(defaultValue = "12h") Duration sessionLifetime,
        @Bindable(defaultValue = "5") int freeFailuresPerAccount,
        @Bindable(defaultValue = "20") int freeFailuresPerAddress,
        @Bindable(defaultValue = "2s") Duration firstDelay,
        @Bindable(defaultValue = "5m") Duration maxDelay,
        @Bindable(defaultValue = "15m") Duration failureWindow,
        @Nullable String clientAddressHeader,
        @Bindable(defaultValue = "0") int maxConcurrentPasswordChecks,
        @Bindable(defaultValue = "5s") Duration passwordCheckWait) {
}

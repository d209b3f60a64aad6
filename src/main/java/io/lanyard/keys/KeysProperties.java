package io.lanyard.keys;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * Signing-key settings; README "Signing keys" explains each default.
 *
 * @param algorithms     algorithms with a key ring of their own; the first signs when a client names none
 * @param rsaBits        RSA modulus size: 2048, 3072 or 4096
 * @param rotationPeriod how long a key signs before its successor takes over
 * @param prePublish     how long a new key is in the JWKS before it signs; at least jwksMaxAge + 30 s
 * @param jwksMaxAge     the JWKS Cache-Control max-age that verifiers may cache it for
 * @param checkInterval  how often each replica checks whether a rotation or removal is due
 * @param provider       auto (Amazon Corretto Crypto Provider where it loads, else the JDK), accp or jdk
 */
@ConfigurationProperties("lanyard.keys")
public record KeysProperties(
        @Bindable(defaultValue = "RS256,ES256") List<String> algorithms,
        @Bindable(defaultValue = "2048") int rsaBits,
        @Bindable(defaultValue = "7d") Duration rotationPeriod,
        @Bindable(defaultValue = "1h") Duration prePublish,
        @Bindable(defaultValue = "5m") Duration jwksMaxAge,
        @Bindable(defaultValue = "60s") Duration checkInterval,
        @Bindable(defaultValue = "auto") String provider) {
}

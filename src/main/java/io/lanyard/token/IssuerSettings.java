package io.lanyard.token;

import com.nimbusds.jose.JWSAlgorithm;
import io.lanyard.clients.Client;
import io.lanyard.config.LanyardProperties;
import io.lanyard.config.TokenProperties;
import io.lanyard.keys.KeyRotator;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** What every token Lanyard signs has in common: its issuer, the time, the longest life, the default algorithm. */
@Singleton
public class IssuerSettings {
    private final String issuer;
    private final Duration maxLifetime;
    private final JWSAlgorithm defaultAlgorithm;
    private final Clock clock;

    public IssuerSettings(LanyardProperties lanyard, TokenProperties tokens, KeyRotator rotator, Clock clock) {
        this.issuer = lanyard.issuer();
        this.maxLifetime = tokens.maxLifetime();
        this.defaultAlgorithm = rotator.algorithms().get(0);
        this.clock = clock;
    }

    public String issuer() {
        return issuer;
    }

    /** Now in whole seconds: NumericDate has no fraction, and {@code exp - iat} should equal {@code expires_in}. */
    public Instant now() {
        return Instant.ofEpochSecond(clock.instant().getEpochSecond());
    }

    /**
     * The client's lifetime for this kind of token, or the server's, never above max-lifetime: retired keys
     * stay published that long, so no token may outlive it, even when the limit was lowered after the
     * client was registered.
     */
    public Duration lifetime(@Nullable Duration clientSetting, Duration serverDefault) {
        Duration wanted = clientSetting == null ? serverDefault : clientSetting;
        return wanted.compareTo(maxLifetime) > 0 ? maxLifetime : wanted;
    }

    /** The client's signing algorithm, or the first configured one (RS256 unless configured otherwise). */
    public JWSAlgorithm algorithm(Client client) {
        return client.tokenSigningAlg() == null ? defaultAlgorithm : JWSAlgorithm.parse(client.tokenSigningAlg());
    }
}

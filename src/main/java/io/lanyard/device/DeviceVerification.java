package io.lanyard.device;

import io.lanyard.authorize.LoginThrottle;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.token.DeviceCodes;
import io.lanyard.token.DeviceProperties;
import io.lanyard.token.UserCodes;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The verification page's decisions (RFC 8628 3.3), without HTTP: which code a person typed, and
 * their approval or denial. Every step that reads a typed code goes through the guess throttle
 * (5.1), per address and over all addresses and replicas: a wrong code is counted at once, a
 * delayed address or a delayed page reads no code at all, and a right code costs nothing.
 */
@Singleton
public class DeviceVerification {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceVerification.class);
    static final String EVERYONE = "user-code:*";

    /** What looking up a typed code found. */
    public sealed interface Lookup permits Found, NotFound, Throttled {
    }

    /** A pending, unexpired code and the client that asked for it. */
    public record Found(DeviceCodes.Stored code, Client client) implements Lookup {
        public String displayCode() {
            return UserCodes.display(code.userCode());
        }
    }

    public record NotFound() implements Lookup {
    }

    public record Throttled(long retryAfterSeconds) implements Lookup {
    }

    private final DeviceCodes codes;
    private final ClientRegistry clients;
    private final LoginThrottle throttle;
    private final DeviceProperties settings;
    private final Clock clock;

    public DeviceVerification(DeviceCodes codes, ClientRegistry clients, LoginThrottle throttle,
                              DeviceProperties settings, Clock clock) {
        this.codes = codes;
        this.clients = clients;
        this.throttle = throttle;
        this.settings = settings;
        this.clock = clock;
    }

    public Lookup lookup(@Nullable String typed, String address) {
        String addressKey = "user-code:" + address;
        Duration wait = throttle.waitFor(EVERYONE, addressKey);
        if (!wait.isZero()) {
            LOG.info("user code entry throttled: address={} wait={}s", address, seconds(wait));
            return new Throttled(seconds(wait));
        }
        String userCode = UserCodes.normalize(typed);
        Instant now = clock.instant();
        DeviceCodes.Stored code = userCode == null ? null : codes.findByUserCode(userCode)
                .filter(c -> c.status() == DeviceCodes.Status.PENDING && !c.expired(now)).orElse(null);
        Client client = code == null ? null : clients.find(code.clientId()).orElse(null);
        if (code == null || client == null) {
            throttle.failed(addressKey, settings.freeGuessesPerAddress());
            throttle.failed(EVERYONE, settings.freeGuesses());
            LOG.info("user code not found: address={}", address);
            return new NotFound();
        }
        return new Found(code, client);
    }

    /** The person's decision; false when the code was decided, redeemed or expired meanwhile. */
    public boolean decide(Found found, boolean approve, String userId, Instant authTime) {
        boolean decided = codes.decide(found.code().userCode(), approve, userId, authTime);
        if (decided) {
            LOG.info("device request {}: client={} user={}", approve ? "approved" : "denied",
                    found.client().clientId(), userId);
        }
        return decided;
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}

package io.lanyard.device;

import io.lanyard.authorize.LoginProperties;
import io.lanyard.authorize.LoginThrottle;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.keys.KeyEncryptionKey;
import io.lanyard.token.DeviceCodes;
import io.lanyard.token.DeviceProperties;
import io.lanyard.token.UserCodes;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The verification page's decisions (RFC 8628 3.3), without HTTP: which code a person typed, and
 * their approval or denial. Typing a code goes through the guess throttle (5.1), per address and
 * over all addresses and replicas: a code that does not exist is counted at once, a delayed address
 * or a delayed page looks up no code at all, and a right code costs nothing. The steps after it
 * (sign-in, approval) carry a handle of the code sealed under the KEK and bound to the form's CSRF
 * token, so they need no second guess and are not held up by a delay that began meanwhile.
 */
@Singleton
public class DeviceVerification {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceVerification.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** What looking up a code found. */
    public sealed interface Lookup permits Found, NotFound, NoLongerValid, Throttled {
    }

    /**
     * A pending, unexpired code and the client that asked for it.
     *
     * @param handle what the next step's form carries instead of the typed code
     */
    public record Found(DeviceCodes.Stored code, Client client, String handle) implements Lookup {
        public String displayCode() {
            return UserCodes.display(code.userCode());
        }
    }

    /** No such code: a guess. */
    public record NotFound() implements Lookup {
    }

    /** A real code, already decided or expired: a person's late click, not a guess. */
    public record NoLongerValid() implements Lookup {
    }

    public record Throttled(long retryAfterSeconds) implements Lookup {
    }

    private final DeviceCodes codes;
    private final ClientRegistry clients;
    private final LoginThrottle throttle;
    private final DeviceProperties settings;
    private final KeyEncryptionKey kek;
    private final Duration window;
    private final Clock clock;

    public DeviceVerification(DeviceCodes codes, ClientRegistry clients, LoginThrottle throttle,
                              DeviceProperties settings, LoginProperties login, KeyEncryptionKey kek, Clock clock) {
        this.codes = codes;
        this.clients = clients;
        this.throttle = throttle;
        this.settings = settings;
        this.kek = kek;
        this.window = login.failureWindow();
        this.clock = clock;
    }

    /** The code a person typed on the first step, for the form whose CSRF token is {@code csrf}. */
    public Lookup lookup(@Nullable String typed, String address, String csrf) {
        String addressKey = "user-code:" + address;
        // the page's allowance is counted per failure window, so failures spread thinly over days
        // (typos, expired links) never add up to a delay for everyone
        String everyoneKey = "user-code:*:" + clock.instant().getEpochSecond() / Math.max(1, window.toSeconds());
        Duration wait = throttle.waitFor(everyoneKey, addressKey);
        if (!wait.isZero()) {
            LOG.info("user code entry throttled: address={} wait={}s", address, seconds(wait));
            return new Throttled(seconds(wait));
        }
        String userCode = UserCodes.normalize(typed);
        DeviceCodes.Stored code = userCode == null ? null : codes.findByUserCode(userCode).orElse(null);
        if (code == null) {
            throttle.failed(addressKey, settings.freeGuessesPerAddress());
            throttle.failed(everyoneKey, settings.freeGuesses());
            LOG.info("user code not found: address={}", address);
            return new NotFound();
        }
        return pending(code, csrf);
    }

    /** The code a later step's form names by {@code handle}; a handle sealed for another form is no code. */
    public Lookup resume(@Nullable String handle, String csrf) {
        if (handle == null || handle.length() > 512) {
            return new NotFound();
        }
        String userCode;
        try {
            userCode = new String(kek.open(Base64.getUrlDecoder().decode(handle), purpose(csrf)),
                    StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return new NotFound();
        }
        return codes.findByUserCode(userCode).map(code -> pending(code, csrf)).orElseGet(NotFound::new);
    }

    private Lookup pending(DeviceCodes.Stored code, String csrf) {
        Client client = clients.find(code.clientId()).orElse(null);
        if (code.status() != DeviceCodes.Status.PENDING || code.expired(clock.instant()) || client == null) {
            return new NoLongerValid();
        }
        String handle = B64.encodeToString(kek.seal(code.userCode().getBytes(StandardCharsets.US_ASCII), purpose(csrf)));
        return new Found(code, client, handle);
    }

    private static String purpose(String csrf) {
        return "device-step:" + csrf;
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

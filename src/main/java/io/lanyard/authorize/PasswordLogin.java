package io.lanyard.authorize;

import io.lanyard.users.PasswordCheck;
import io.lanyard.users.PasswordProperties;
import io.lanyard.users.User;
import io.lanyard.users.UserSource;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One login attempt: throttle, then the password. The person sees the same words for an unknown
 * user, a wrong password and a disabled account; the log says which (never the password).
 */
@Singleton
public class PasswordLogin {
    private static final Logger LOG = LoggerFactory.getLogger(PasswordLogin.class);
    static final String WRONG = "The username or password is incorrect.";

    public sealed interface Result permits Success, Failure {
    }

    /** @param deviceCookie the device cookie to set for the account that just logged in */
    public record Success(User user, Instant authTime, String deviceCookie) implements Result {
    }

    public enum Reason { MISSING_INPUT, REFUSED, THROTTLED, BUSY }

    public record Failure(Reason reason, String message, long retryAfterSeconds) implements Result {
    }

    private final UserSource users;
    private final LoginThrottle throttle;
    private final DeviceCookies devices;
    private final Clock clock;
    private final Semaphore checks;
    private final long waitMillis;

    public PasswordLogin(UserSource users, LoginThrottle throttle, DeviceCookies devices, Clock clock,
                         LoginProperties login, PasswordProperties passwords) {
        this.users = users;
        this.throttle = throttle;
        this.devices = devices;
        this.clock = clock;
        this.checks = new Semaphore(permits(login, passwords, Runtime.getRuntime()), true);
        this.waitMillis = login.passwordCheckWait().toMillis();
    }

    /**
     * Twice the cores, but never more hashes at once than half the heap holds: each holds
     * memory-kib of heap (19 MiB by default), and a 128 MiB container must not die of a login flood.
     */
    static int permits(LoginProperties login, PasswordProperties passwords, Runtime runtime) {
        if (login.maxConcurrentPasswordChecks() > 0) {
            return login.maxConcurrentPasswordChecks();
        }
        long perHash = passwords.memoryKib() * 1024L;
        long byHeap = Math.max(1, runtime.maxMemory() / 2 / perHash);
        return (int) Math.min(2L * runtime.availableProcessors(), byHeap);
    }

    public Result attempt(@Nullable String username, @Nullable String password, String address,
                          @Nullable String deviceCookie) {
        return attempt(username, password, address, deviceCookie, null);
    }

    /** As {@link #attempt(String, String, String, String)}, against the one source {@code connectorId} names. */
    public Result attempt(@Nullable String username, @Nullable String password, String address,
                          @Nullable String deviceCookie, @Nullable String connectorId) {
        if (username == null || password == null || username.length() > 255 || password.length() > 1024) {
            return new Failure(Reason.MISSING_INPUT, "Enter your username and password.", 0);
        }
        String device = devices.deviceFor(deviceCookie, username);
        String account = device == null ? LoginThrottle.accountKey(username) : LoginThrottle.deviceKey(device, username);
        String source = LoginThrottle.addressKey(address);
        Duration wait = throttle.reserve(account, source);
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            LOG.info("login throttled: account={} address={} wait={}s", printable(username), address, seconds);
            return new Failure(Reason.THROTTLED, "Too many failed attempts. Wait " + seconds
                    + " seconds, then try again.", seconds);
        }
        PasswordCheck check = new PasswordCheck.UnknownUser();
        if (connectorId == null || UserSource.LOCAL.equals(connectorId)) {
            try {
                if (!checks.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                    LOG.warn("login refused: every password-check slot stayed busy for {} ms", waitMillis);
                    return new Failure(Reason.BUSY, "Too many people are signing in right now. Try again in a moment.", 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Failure(Reason.BUSY, "Too many people are signing in right now. Try again in a moment.", 1);
            }
            try {
                check = users.checkPassword(username, password);
            } finally {
                checks.release();
            }
        }
        if (check instanceof PasswordCheck.UnknownUser && !UserSource.LOCAL.equals(connectorId)) {
            // outside the Argon2id slots: a slow directory must not hold up the logins of Lanyard's own users
            check = users.checkConnectors(username, password, connectorId);
        }
        if (check instanceof PasswordCheck.Verified verified) {
            throttle.succeeded(account, source);
            LOG.info("login succeeded: user={} username={} address={}", verified.user().id(),
                    printable(verified.user().username()), address);
            return new Success(verified.user(), clock.instant(), devices.issue(username));
        }
        if (check instanceof PasswordCheck.Unavailable) {
            // nothing was concluded about the person; the attempt still counts, as any other
            LOG.warn("login not checked: a directory is unavailable; account={} address={}", printable(username), address);
            return new Failure(Reason.BUSY, "The directory that checks your password cannot be reached right now. "
                    + "Try again in a moment.", 5);
        }
        String why = check instanceof PasswordCheck.UnknownUser ? "unknown user"
                : check instanceof PasswordCheck.Disabled ? "account disabled" : "wrong password";
        LOG.info("login failed ({}): account={} address={}", why, printable(username), address);
        return new Failure(Reason.REFUSED, WRONG, 0);
    }

    /** A username typed by anyone goes into the log without line breaks or control characters. */
    private static String printable(String value) {
        String trimmed = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return trimmed.replaceAll("\\p{Cntrl}", "?");
    }
}

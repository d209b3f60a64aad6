package io.lanyard.login;

import io.lanyard.users.PasswordCheck;
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

    public record Success(User user, Instant authTime) implements Result {
    }

    public enum Reason { MISSING_INPUT, REFUSED, THROTTLED, BUSY }

    public record Failure(Reason reason, String message, long retryAfterSeconds) implements Result {
    }

    private final UserSource users;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final Semaphore checks;
    private final long waitMillis;

    public PasswordLogin(UserSource users, LoginThrottle throttle, Clock clock, LoginProperties login) {
        this.users = users;
        this.throttle = throttle;
        this.clock = clock;
        int permits = login.maxConcurrentPasswordChecks() > 0 ? login.maxConcurrentPasswordChecks()
                : 2 * Runtime.getRuntime().availableProcessors();
        this.checks = new Semaphore(permits, true);
        this.waitMillis = login.passwordCheckWait().toMillis();
    }

    public Result attempt(@Nullable String username, @Nullable String password, String address) {
        if (username == null || password == null || username.length() > 255 || password.length() > 1024) {
            return new Failure(Reason.MISSING_INPUT, "Enter your username and password.", 0);
        }
        String account = LoginThrottle.accountKey(username);
        String source = LoginThrottle.addressKey(address);
        Duration wait = throttle.waitFor(account, source);
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            LOG.info("login throttled: account={} address={} wait={}s", printable(username), address, seconds);
            return new Failure(Reason.THROTTLED, "Too many failed attempts. Wait " + seconds
                    + " seconds, then try again.", seconds);
        }
        PasswordCheck check;
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
        if (check instanceof PasswordCheck.Verified verified) {
            throttle.succeeded(account);
            LOG.info("login succeeded: user={} address={}", verified.user().id(), address);
            return new Success(verified.user(), clock.instant());
        }
        throttle.failed(account, source);
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

package io.lanyard.authorize;

import io.lanyard.oauth.ClockSkew;
import io.lanyard.oauth.OpaqueTokens;
import io.lanyard.users.ConnectorUnavailableException;
import io.lanyard.users.Connectors;
import io.lanyard.users.FederatedUsers;
import io.lanyard.users.RedirectConnector;
import io.lanyard.users.UpstreamTokens;
import io.lanyard.users.User;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A login through a redirect connector: the browser leaves for the upstream with a fresh
 * {@code state}, {@code nonce} and PKCE verifier, and comes back to {@code /callback}, where the
 * pending login is taken once, checked against the browser that left (a cookie whose digest it
 * holds), and the upstream's answer verified. No HTTP types: the controller turns outcomes into pages.
 */
@Singleton
public class UpstreamLogin {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamLogin.class);

    /** What the person was doing when they chose the upstream, and goes on after it. */
    public sealed interface Resume permits ToAuthorization, ToDevice {
    }

    /** An authorization request (its raw parameters, as the login form carries them). */
    public record ToAuthorization(String authorization) implements Resume {
    }

    /** The device page: its sealed handle and the CSRF token it is bound to. */
    public record ToDevice(String handle, String csrf) implements Resume {
    }

    /** What the client asked that the upstream must hear too. */
    public record Wanted(boolean offline, boolean forceLogin, @Nullable Long maxAge) {
        /** A device flow's client usually wants to stay signed in; it cannot ask for more. */
        public static final Wanted DEVICE = new Wanted(true, false, null);

        public static Wanted of(AuthorizationRequest request) {
            return new Wanted(request.scope().contains("offline_access"), request.forcesLogin(), request.maxAge());
        }
    }

    /** @param browserCookie the value of the cookie that ties the callback to this browser */
    public record Started(URI location, String browserCookie) {
    }

    /** What came back from the upstream. Each value is the callback's query parameter, or null. */
    public record Callback(@Nullable String state, @Nullable String code, @Nullable String iss,
                           @Nullable String error) {
    }

    public sealed interface Outcome permits LoggedIn, Failed {
    }

    public record LoggedIn(User user, Instant authTime, Resume resume) implements Outcome {
    }

    public enum Failure {
        /** No such pending login: unknown, used, expired, or started in another browser. */
        NOT_PENDING,
        /** The upstream answered with an error (the person cancelled, or it refused them). */
        DECLINED,
        /** RFC 9207: the answer names another issuer, or lacks the one the upstream always sends. */
        WRONG_ISSUER,
        /** The code was refused, or the id_token or claims did not verify. */
        REFUSED,
        DISABLED,
        UNAVAILABLE
    }

    /** @param resume what the person was doing, when the pending login was found; else null */
    public record Failed(Failure failure, @Nullable Resume resume, String connectorName) implements Outcome {
    }

    private final Connectors connectors;
    private final UpstreamLogins logins;
    private final FederatedUsers federated;
    private final UpstreamTokens tokens;
    private final Clock clock;

    public UpstreamLogin(Connectors connectors, UpstreamLogins logins, FederatedUsers federated, UpstreamTokens tokens,
                         Clock clock) {
        this.connectors = connectors;
        this.logins = logins;
        this.federated = federated;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The redirect connector with this id, if there is one. */
    public Optional<Connectors.Configured> find(@Nullable String connectorId) {
        return connectorId == null ? Optional.empty() : connectors.find(connectorId)
                .filter(c -> c.connector() instanceof RedirectConnector);
    }

    /**
     * The buttons a login page shows (id and name of each redirect connector): all of them, none when
     * the client named a password source in {@code connector_id}.
     */
    public List<Map<String, String>> buttons(@Nullable String connectorId) {
        return connectors.redirecting().stream()
                .filter(c -> connectorId == null || connectorId.equals(c.settings().id()))
                .map(c -> Map.of("id", c.settings().id(), "name", c.settings().name()))
                .toList();
    }

    /**
     * Where to send the browser, remembering what to resume.
     *
     * @param browserCookie the browser's cookie from an earlier start (several tabs share it), or null
     */
    public Started begin(Connectors.Configured configured, Resume resume, Wanted wanted, @Nullable String browserCookie)
            throws ConnectorUnavailableException {
        RedirectConnector connector = (RedirectConnector) configured.connector();
        String cookie = Csrf.tokenFor(browserCookie);
        String state = OpaqueTokens.generate();
        String nonce = OpaqueTokens.generate();
        String verifier = OpaqueTokens.generate();
        URI location = connector.authorizationUrl(new RedirectConnector.Ask(state, nonce, verifier, wanted.offline(),
                wanted.forceLogin(), wanted.maxAge()));
        logins.put(state, new UpstreamLogins.Pending(configured.settings().id(), OpaqueTokens.digest(cookie), nonce,
                verifier, encode(resume), wanted, clock.instant()));
        return new Started(location, cookie);
    }

    public Outcome complete(Callback callback, @Nullable String browserCookie) {
        if (callback.state() == null || callback.state().length() > 128) {
            return new Failed(Failure.NOT_PENDING, null, "");
        }
        Optional<UpstreamLogins.Pending> found = logins.take(callback.state());
        if (found.isEmpty()) {
            LOG.info("upstream callback refused: no pending login for its state (unknown, used or expired)");
            return new Failed(Failure.NOT_PENDING, null, "");
        }
        UpstreamLogins.Pending pending = found.get();
        if (browserCookie == null || !MessageDigest.isEqual(OpaqueTokens.digest(browserCookie)
                .getBytes(StandardCharsets.US_ASCII), pending.browserHash().getBytes(StandardCharsets.US_ASCII))) {
            // someone else's callback URL opened in this browser: a login CSRF, or a link passed on
            LOG.warn("upstream callback refused: it came back to another browser than the one that left");
            return new Failed(Failure.NOT_PENDING, null, "");
        }
        Resume resume = decode(pending.resume());
        Optional<Connectors.Configured> configured = find(pending.connectorId());
        if (configured.isEmpty()) {
            return new Failed(Failure.NOT_PENDING, resume, "");
        }
        String name = configured.get().settings().name();
        RedirectConnector connector = (RedirectConnector) configured.get().connector();
        try {
            if (!connector.callbackIssuerAccepted(callback.iss())) {
                LOG.warn("upstream callback refused: connector {} expects its own issuer in iss (RFC 9207)",
                        pending.connectorId());
                return new Failed(Failure.WRONG_ISSUER, resume, name);
            }
            if (callback.error() != null) {
                LOG.info("connector {} answered the login with error {}", pending.connectorId(),
                        printable(callback.error()));
                return new Failed(Failure.DECLINED, resume, name);
            }
            if (callback.code() == null || callback.code().isBlank() || callback.code().length() > 4096) {
                return new Failed(Failure.REFUSED, resume, name);
            }
            RedirectConnector.Answer answer = connector.redeem(callback.code(), pending.codeVerifier(), pending.nonce());
            if (answer instanceof RedirectConnector.Refused refused) {
                LOG.warn("login through connector {} refused: {}", pending.connectorId(), refused.reason());
                return new Failed(Failure.REFUSED, resume, name);
            }
            RedirectConnector.Verified verified = (RedirectConnector.Verified) answer;
            String stale = staleLogin(pending, verified.authTime());
            if (stale != null) {
                LOG.warn("login through connector {} refused: {}", pending.connectorId(), stale);
                return new Failed(Failure.REFUSED, resume, name);
            }
            User user = federated.remember(configured.get().settings(), verified.identity());
            if (user.disabled()) {
                LOG.info("login through connector {} refused: user {} is disabled", pending.connectorId(), user.id());
                return new Failed(Failure.DISABLED, resume, name);
            }
            if (verified.refreshToken() != null) {
                tokens.store(user.id(), pending.connectorId(), verified.refreshToken());
            }
            LOG.info("login succeeded: user={} connector={}", user.id(), pending.connectorId());
            Instant now = clock.instant();
            // the upstream's word on when they authenticated, so a later max_age is measured from it
            Instant authTime = verified.authTime() == null || verified.authTime().isAfter(now) ? now
                    : verified.authTime();
            return new LoggedIn(user, authTime, resume);
        } catch (ConnectorUnavailableException e) {
            LOG.warn("connector {} unavailable at login: {}", pending.connectorId(), e.getMessage());
            return new Failed(Failure.UNAVAILABLE, resume, name);
        }
    }

    /**
     * Why the upstream's login is not the fresh one the client asked for ({@code prompt=login} or
     * {@code max_age}, passed on to it), or null: an upstream may ignore both and answer from its
     * session, which its {@code auth_time} then shows.
     */
    private @Nullable String staleLogin(UpstreamLogins.Pending pending, @Nullable Instant authTime) {
        Wanted wanted = pending.wanted();
        if (!wanted.forceLogin() && wanted.maxAge() == null) {
            return null;
        }
        if (authTime == null) {
            return "a fresh login was asked for and the upstream's id_token has no auth_time";
        }
        if (wanted.forceLogin() && authTime.isBefore(pending.startedAt().minus(ClockSkew.TOLERANCE))) {
            return "prompt=login was asked for and the upstream answered with an earlier login";
        }
        if (wanted.maxAge() != null && authTime.isBefore(clock.instant().minusSeconds(wanted.maxAge())
                .minus(ClockSkew.TOLERANCE))) {
            return "the upstream's login is older than the max_age asked for";
        }
        return null;
    }

    private static Map<String, String> encode(Resume resume) {
        if (resume instanceof ToAuthorization authorization) {
            return Map.of("authorization", authorization.authorization());
        }
        ToDevice device = (ToDevice) resume;
        return Map.of("device_handle", device.handle(), "csrf", device.csrf());
    }

    private static Resume decode(Map<String, String> encoded) {
        return encoded.containsKey("authorization") ? new ToAuthorization(encoded.get("authorization"))
                : new ToDevice(encoded.get("device_handle"), encoded.get("csrf"));
    }

    private static String printable(String value) {
        String trimmed = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return trimmed.replaceAll("\\p{Cntrl}", "?");
    }
}

package io.lanyard.runtime;

import com.nimbusds.jose.JWSAlgorithm;
import io.lanyard.admin.ConfigFileParser;
import io.lanyard.admin.DeclarativeConfig;
import io.lanyard.admin.DeclaredConnectors;
import io.lanyard.admin.DemoClient;
import io.lanyard.admin.DemoUser;
import io.lanyard.admin.ParsedConfig;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.config.LanyardConfigException;
import io.lanyard.config.LanyardProperties;
import io.lanyard.kube.TokenReviewProperties;
import io.lanyard.config.TokenProperties;
import io.lanyard.federation.TrustedIssuer;
import io.lanyard.federation.TrustedIssuers;
import io.lanyard.keys.KeyRing;
import io.lanyard.keys.KeyRingHolder;
import io.lanyard.keys.KeyRotator;
import io.lanyard.keys.KeysProperties;
import io.lanyard.oauth.ClockSkew;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.revocation.RevokedTokens;
import io.lanyard.token.DeviceProperties;
import io.lanyard.users.Connectors;
import io.lanyard.users.UserStatusCache;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Everything the server checks and prepares before it takes a request: configuration that
 * cannot work stops it here with one message; a usable signing key must exist for every
 * algorithm; caches are filled.
 */
@Context
@Requires(notEnv = "cli")
public class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

    public Bootstrap(LanyardProperties lanyard, KeysProperties keys, TokenProperties tokens, DeviceProperties device,
                     KeyRotator rotator, KeyRingHolder ring,
                     ClientRegistry clients, DeclarativeConfig declarative, ConfigFileParser parser,
                     TrustedIssuers trustedIssuers, Connectors connectors, DemoClient demo, DemoUser demoUser, UserStatusCache userStatus,
                     RevokedTokens revoked, Clock clock, TokenReviewProperties tokenReview,
                     @Value("${lanyard.cache.refresh-interval:5s}") Duration refreshInterval) {
        checkIssuer(lanyard);
        checkTokenReview(tokenReview);
        checkKeyTiming(keys, refreshInterval);
        checkTokenLifetimes(tokens);
        checkDevice(device);
        // Open the published keys before writing any: a replica with the wrong KEK stops here.
        List<String> problems = ring.reload();
        if (!problems.isEmpty()) {
            throw new LanyardConfigException(String.join("; ", problems));
        }
        rotator.recordSchedule();
        rotator.rotateIfDue();
        problems = ring.reload();
        KeyRing current = ring.current();
        for (JWSAlgorithm alg : rotator.algorithms()) {
            if (current.signingKey(alg, clock.instant()) == null) {
                throw new LanyardConfigException("no usable " + alg + " signing key"
                        + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
            }
        }
        if (lanyard.config() != null && !lanyard.config().isBlank()) {
            ParsedConfig parsed = parser.parse(Path.of(lanyard.config()));
            DeclarativeConfig.Result result = declarative.apply(parsed);
            LOG.info("Applied {}: {}", lanyard.config(), result);
            // Trusted issuers live in memory only: every replica reads the same file at start.
            trustedIssuers.configure(parsed.trustedIssuers());
            // connectors live in memory too; a directory is first contacted at the first login
            connectors.configure(DeclaredConnectors.build(lanyard.config(), parsed.connectors(), lanyard.issuer(), clock));
            if (!parsed.connectors().isEmpty()) {
                LOG.info("Connectors: {}", parsed.connectors().stream().map(c -> c.settings().id()).toList());
            }
            if (!parsed.trustedIssuers().isEmpty()) {
                LOG.info("Trusting {} external issuer(s): {}", parsed.trustedIssuers().size(),
                        parsed.trustedIssuers().stream().map(TrustedIssuer::issuer).toList());
            }
        }
        if (!lanyard.production()) {
            demo.createOnFirstStart();
            demoUser.createOnFirstStart();
        }
        clients.reload();
        userStatus.reload();
        revoked.refresh();
        checkClientAlgorithms(clients.all(), rotator);
        warnAboutUnusableMappings(trustedIssuers, clients);
    }

    /** A prefix that would let a token name a system: user or group stops the start, as any bad setting. */
    static void checkTokenReview(TokenReviewProperties tokenReview) {
        try {
            tokenReview.claims();
        } catch (IllegalArgumentException e) {
            throw new LanyardConfigException("LANYARD_TOKEN_REVIEW_*: " + e.getMessage().replace("--", ""));
        }
    }

    static void checkIssuer(LanyardProperties lanyard) {
        URI uri;
        try {
            uri = new URI(lanyard.issuer());
        } catch (Exception e) {
            throw new LanyardConfigException("LANYARD_ISSUER '" + lanyard.issuer() + "' is not a URL");
        }
        boolean https = "https".equals(uri.getScheme());
        if (!https && !"http".equals(uri.getScheme()) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new LanyardConfigException("LANYARD_ISSUER must be an http(s) URL with a host and no query or "
                    + "fragment, not '" + lanyard.issuer() + "'");
        }
        if (lanyard.production() && !https) {
            throw new LanyardConfigException("LANYARD_PROFILE=prod needs an https LANYARD_ISSUER "
                    + "(kube-apiserver accepts only https issuers), not '" + lanyard.issuer() + "'");
        }
    }

    /** A client whose algorithm is no longer configured would be signed for by a key nobody rotates. */
    static void checkClientAlgorithms(java.util.Collection<io.lanyard.clients.Client> all, KeyRotator rotator) {
        List<String> configured = rotator.algorithms().stream().map(JWSAlgorithm::getName).toList();
        List<String> stranded = all.stream()
                .filter(c -> c.tokenSigningAlg() != null && !configured.contains(c.tokenSigningAlg()))
                .map(c -> c.clientId() + " (" + c.tokenSigningAlg() + ")").sorted().toList();
        if (!stranded.isEmpty()) {
            throw new LanyardConfigException("clients sign with an algorithm not in lanyard.keys.algorithms "
                    + configured + ": " + String.join(", ", stranded)
                    + "; add the algorithm back or change the clients (clients update ID --signing-alg ...)");
        }
    }

    /**
     * A rule may name a client made with the CLI, which the file cannot check; one that is missing or
     * lacks the grant refuses every token it maps, so say so now rather than at the first refusal.
     */
    static void warnAboutUnusableMappings(TrustedIssuers trustedIssuers, ClientRegistry clients) {
        for (TrustedIssuer issuer : trustedIssuers.configured()) {
            for (TrustedIssuer.ServiceAccountRule rule : issuer.serviceAccounts()) {
                boolean usable = clients.find(rule.client()).map(c -> c.allowsGrant(GrantTypes.JWT_BEARER)).orElse(false);
                if (!usable) {
                    LOG.warn("Trusted issuer {} maps {}/{} to client '{}', which does not exist or does not list {}; "
                            + "its tokens will be refused", issuer.issuer(), rule.namespace(), rule.serviceAccount(),
                            rule.client(), GrantTypes.JWT_BEARER);
                }
            }
        }
    }

    static void checkTokenLifetimes(TokenProperties tokens) {
        String max = "lanyard.tokens.max-lifetime";
        checkLifetime("access-token-lifetime", tokens.accessTokenLifetime(), tokens.maxLifetime(), max);
        checkLifetime("id-token-lifetime", tokens.idTokenLifetime(), tokens.maxLifetime(), max);
        checkLifetime("code-lifetime", tokens.codeLifetime(), Duration.ofMinutes(10), "10 minutes");
        checkLifetime("refresh-idle-lifetime", tokens.refreshIdleLifetime(), tokens.refreshMaxLifetime(),
                "lanyard.tokens.refresh-max-lifetime");
        checkLifetime("refresh-grace", tokens.refreshGrace(), Duration.ofMinutes(5), "5 minutes");
    }

    static void checkDevice(DeviceProperties device) {
        String name = "lanyard.device.";
        if (device.codeLifetime().compareTo(Duration.ofMinutes(1)) < 0
                || device.codeLifetime().compareTo(Duration.ofMinutes(30)) > 0) {
            throw new LanyardConfigException(name + "code-lifetime must be between 1 and 30 minutes, not "
                    + device.codeLifetime());
        }
        if (device.interval().compareTo(Duration.ofSeconds(1)) < 0
                || device.interval().compareTo(Duration.ofSeconds(60)) > 0) {
            throw new LanyardConfigException(name + "interval must be between 1 and 60 seconds, not "
                    + device.interval());
        }
        if (device.freeGuessesPerAddress() < 1 || device.freeGuesses() < device.freeGuessesPerAddress()) {
            throw new LanyardConfigException(name + "free-guesses-per-address must be at least 1 and "
                    + name + "free-guesses at least as large");
        }
    }

    private static void checkLifetime(String name, Duration value, Duration limit, String limitName) {
        if (value.isNegative() || value.isZero() || value.compareTo(limit) > 0) {
            throw new LanyardConfigException("lanyard.tokens." + name + " must be positive and at most "
                    + limitName + " (" + limit.toSeconds() + "s)");
        }
    }

    static void checkKeyTiming(KeysProperties keys, Duration refreshInterval) {
        Duration minimum = keys.jwksMaxAge().plus(ClockSkew.TOLERANCE);
        if (keys.prePublish().compareTo(minimum) < 0) {
            throw new LanyardConfigException("lanyard.keys.pre-publish (" + keys.prePublish().toSeconds()
                    + "s) must be at least lanyard.keys.jwks-max-age + 30s (" + minimum.toSeconds()
                    + "s), so verifiers hold a key before it signs");
        }
        if (keys.rotationPeriod().compareTo(keys.prePublish()) <= 0) {
            throw new LanyardConfigException("lanyard.keys.rotation-period must be longer than lanyard.keys.pre-publish");
        }
        if (refreshInterval.compareTo(keys.prePublish()) >= 0 || keys.checkInterval().compareTo(keys.prePublish()) >= 0) {
            throw new LanyardConfigException("lanyard.cache.refresh-interval and lanyard.keys.check-interval must be "
                    + "shorter than lanyard.keys.pre-publish, or a replica could sign with a key others have not seen");
        }
    }
}

package io.lanyard.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.lanyard.oauth.Base64Url;
import io.lanyard.oauth.ClockSkew;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Verifies tokens of the configured external issuers (see {@link TrustedIssuer}) and maps their
 * Kubernetes service accounts to Lanyard clients. The issuers come from the declarative file
 * applied at start; their keys are cached in memory ({@link IssuerKeys}).
 */
@Singleton
public class TrustedIssuers {
    /** Service-account tokens are about 1 KiB; anything this large is not one. */
    private static final int MAX_TOKEN_CHARS = 16 * 1024;
    private static final Pattern SERVICE_ACCOUNT = Pattern.compile("system:serviceaccount:([^:]+):([^:]+)");
    private static final DefaultJWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();

    private final Clock clock;
    private final Duration refetchInterval;
    private final Duration fetchTimeout;
    private final HttpClient http;
    private volatile Map<String, IssuerKeys> issuers = Map.of();

    public TrustedIssuers(Clock clock,
                          @Value("${lanyard.federation.refetch-interval:60s}") Duration refetchInterval,
                          @Value("${lanyard.federation.fetch-timeout:3s}") Duration fetchTimeout) {
        this.clock = clock;
        this.refetchInterval = refetchInterval;
        this.fetchTimeout = fetchTimeout;
        // no redirects: the keys must come from the configured or discovered URL itself
        this.http = HttpClient.newBuilder().connectTimeout(fetchTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Replaces the configured issuers; their keys are fetched when first needed. */
    public void configure(Collection<TrustedIssuer> configured) {
        issuers = configured.stream().collect(Collectors.toUnmodifiableMap(TrustedIssuer::issuer,
                c -> new IssuerKeys(c, http, clock, refetchInterval, fetchTimeout), (a, b) -> a));
    }

    /** For start-up checks; requests ask {@link #trusts(String)}. */
    public List<TrustedIssuer> configured() {
        return issuers.values().stream().map(IssuerKeys::config).toList();
    }

    /** Whether tokens of {@code issuer} are accepted at all: one map lookup. */
    public boolean trusts(@Nullable String issuer) {
        return issuer != null && issuers.containsKey(issuer);
    }

    /**
     * A signed JWT, parsed once so that its unverified {@code iss} can choose the verifier and the
     * same object be verified; null when it is not a signed JWT (a JWT with alg "none" is not a JWS
     * and fails here), is too large, or is not canonical unpadded base64url (RFC 7515 section 2).
     */
    public static @Nullable SignedJWT parse(@Nullable String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS
                || !Base64Url.isCanonicalCompact(token)) {
            return null;
        }
        try {
            SignedJWT parsed = SignedJWT.parse(token);
            parsed.getJWTClaimsSet();
            return parsed;
        } catch (ParseException e) {
            return null;
        }
    }

    /** The {@code iss} of a parsed token, not yet verified: only to choose a verifier, never to trust. */
    public static @Nullable String unverifiedIssuer(SignedJWT token) {
        try {
            return token.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            return null;
        }
    }

    /** As {@link #verify(SignedJWT)}, for a token not parsed yet. */
    public VerifiedExternalToken verify(String jwt) {
        if (jwt == null || jwt.isEmpty() || jwt.length() > MAX_TOKEN_CHARS) {
            throw new RejectedTokenException("the token is missing or too large");
        }
        SignedJWT token = parse(jwt);
        if (token == null) {
            throw new RejectedTokenException("the token is not a signed JWT");
        }
        return verify(token);
    }

    /**
     * Checks {@code token} completely: a trusted issuer, one of its configured algorithms, a signature
     * by one of its keys (never a key named by the token itself: {@code jku}, {@code x5u} and
     * {@code jwk} are ignored), {@code exp}, {@code nbf}, {@code iat}, the audience, and a Kubernetes
     * service-account subject that the configuration maps to a client.
     *
     * @throws RejectedTokenException with a message safe to show the caller
     */
    public VerifiedExternalToken verify(SignedJWT token) {
        JWTClaimsSet claims;
        try {
            claims = token.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new RejectedTokenException("the token is not a signed JWT");
        }
        IssuerKeys keys = claims.getIssuer() == null ? null : issuers.get(claims.getIssuer());
        if (keys == null) {
            throw new RejectedTokenException("the token's issuer is not trusted");
        }
        TrustedIssuer config = keys.config();
        JWSHeader header = token.getHeader();
        // the accepted algorithms come from the configuration; the header only has to be one of them
        if (!config.algorithms().contains(header.getAlgorithm())) {
            throw new RejectedTokenException("the token's signature algorithm is not accepted");
        }
        if (!signedByOneOf(token, keys.candidates(header))) {
            throw new RejectedTokenException("the token's signature does not verify");
        }
        checkTimes(claims, config);
        if (claims.getAudience() == null || !claims.getAudience().contains(config.audience())) {
            throw new RejectedTokenException("the token is not intended for this server (aud)");
        }
        return mapped(claims, config);
    }

    private static boolean signedByOneOf(SignedJWT token, List<JWK> candidates) {
        for (JWK key : candidates) {
            try {
                JWSVerifier verifier = VERIFIERS.createJWSVerifier(token.getHeader(),
                        ((AsymmetricJWK) key).toPublicKey());
                if (token.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException | ClassCastException e) {
                // a key of the wrong shape for this algorithm: try the next
            }
        }
        return false;
    }

    private void checkTimes(JWTClaimsSet claims, TrustedIssuer config) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new RejectedTokenException("the token has no expiry (exp)");
        }
        if (!now.isBefore(exp.toInstant().plus(ClockSkew.TOLERANCE))) {
            throw new RejectedTokenException("the token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(ClockSkew.TOLERANCE))) {
            throw new RejectedTokenException("the token is not valid yet (nbf)");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(ClockSkew.TOLERANCE))) {
            throw new RejectedTokenException("the token was issued in the future (iat)");
        }
        if (config.maxTokenAge() != null
                && (iat == null || now.isAfter(iat.toInstant().plus(config.maxTokenAge()).plus(ClockSkew.TOLERANCE)))) {
            throw new RejectedTokenException("the token is too old (iat)");
        }
    }

    private static VerifiedExternalToken mapped(JWTClaimsSet claims, TrustedIssuer config) {
        String subject = claims.getSubject();
        Matcher sa = subject == null ? null : SERVICE_ACCOUNT.matcher(subject);
        if (sa == null || !sa.matches()) {
            throw new RejectedTokenException("the token's subject is not a Kubernetes service account");
        }
        String namespace = sa.group(1);
        String name = sa.group(2);
        // the kubernetes.io claim, when present, must name the same service account as sub
        Object kubernetes = claims.getClaim("kubernetes.io");
        if (kubernetes != null) {
            if (!(kubernetes instanceof Map<?, ?> k8s) || !namespace.equals(k8s.get("namespace"))
                    || !(k8s.get("serviceaccount") instanceof Map<?, ?> account) || !name.equals(account.get("name"))) {
                throw new RejectedTokenException("the token's kubernetes.io claim does not match its subject");
            }
        }
        String client = config.clientFor(namespace, name);
        if (client == null) {
            throw new RejectedTokenException("the token's service account is not mapped to a client");
        }
        return new VerifiedExternalToken(config.issuer(), subject, claims, client, namespace, name);
    }
}

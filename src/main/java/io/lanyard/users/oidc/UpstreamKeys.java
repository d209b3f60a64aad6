package io.lanyard.users.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.lanyard.oauth.RefetchGate;
import io.lanyard.users.ConnectorUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The upstream's signing keys, in memory. A key id not seen yet makes it fetch the JWKS again (the
 * upstream rotated) through a {@link RefetchGate}, at most once per {@link #REFETCH}; a set older than
 * {@link #MAX_AGE} is fetched again too.
 */
final class UpstreamKeys implements JWKSource<SecurityContext> {
    static final Duration REFETCH = Duration.ofSeconds(30);
    /** How long a fetched set is used before it is fetched again, so that withdrawn keys stop verifying. */
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamKeys.class);

    private final URI jwksUri;
    private final UpstreamHttp http;
    private final RefetchGate gate;
    private final Clock clock;
    private volatile JWKSet keys = new JWKSet();
    private volatile Instant fetchedAt;
    private volatile boolean lastFetchFailed;

    UpstreamKeys(URI jwksUri, UpstreamHttp http, Clock clock, Duration timeout) {
        this.jwksUri = jwksUri;
        this.http = http;
        this.clock = clock;
        this.gate = new RefetchGate(clock, REFETCH, timeout.multipliedBy(2).plusMillis(500));
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        if (fetchedAt == null || clock.instant().isAfter(fetchedAt.plus(MAX_AGE))) {
            // keys the upstream withdrew stop being trusted; while it does not answer, the last set is used
            refetch(false);
        }
        List<JWK> found = publicOnly(selector.select(keys));
        if (!found.isEmpty()) {
            return found;
        }
        refetch(true);
        return publicOnly(selector.select(keys));
    }

    private static List<JWK> publicOnly(List<JWK> keys) {
        // a symmetric key in a published JWKS would let anyone who read it sign: never used
        return keys.stream().filter(k -> k.getKeyType() == KeyType.RSA || k.getKeyType() == KeyType.EC)
                .map(JWK::toPublicJWK).toList();
    }

    /**
     * @param needed no known key fits: unless the latest fetch succeeded (so the key id really is not
     *               the upstream's), not knowing is the upstream's unavailability, never a refusal
     *               that would end someone's grant
     */
    private void refetch(boolean needed) throws KeySourceException {
        RefetchGate.Ran ran;
        try {
            ran = gate.runIfDue(() -> {
                JWKSet fetched = fetch();
                keys = fetched;
                fetchedAt = clock.instant();
            });
            lastFetchFailed = ran == RefetchGate.Ran.FETCHED ? false : lastFetchFailed;
        } catch (KeySourceException e) {
            lastFetchFailed = true;
            if (needed) {
                throw e;
            }
            LOG.warn("keeping the upstream's keys from {}: {}", fetchedAt, e.getMessage());
            return;
        }
        if (needed && (ran == RefetchGate.Ran.BUSY || lastFetchFailed)) {
            throw new KeySourceException("the upstream's keys could not be fetched just now");
        }
    }

    private JWKSet fetch() throws KeySourceException {
        try {
            HTTPResponse response = http.send(new HTTPRequest(HTTPRequest.Method.GET, jwksUri));
            if (response.getStatusCode() != 200) {
                throw new KeySourceException("the upstream's JWKS answered " + response.getStatusCode());
            }
            return JWKSet.parse(response.getBody());
        } catch (ConnectorUnavailableException e) {
            throw new KeySourceException("the upstream's JWKS cannot be fetched: " + e.getMessage());
        } catch (ParseException e) {
            throw new KeySourceException("the upstream's JWKS is not a JWK set: " + e.getMessage());
        }
    }
}

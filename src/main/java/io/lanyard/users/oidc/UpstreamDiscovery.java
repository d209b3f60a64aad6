package io.lanyard.users.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.lanyard.oauth.IssuerUrl;
import io.lanyard.users.ConnectorUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The upstream's discovery document (OIDC Discovery 1.0), fetched at the first login and again after
 * an hour; when the upstream does not answer a refetch, the document it last gave stays in use.
 */
final class UpstreamDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamDiscovery.class);
    private static final Duration REFETCH = Duration.ofHours(1);
    /** What an upstream may sign id_tokens with: asymmetric only (no {@code none}, no HS* with the client secret). */
    private static final Set<JWSAlgorithm> ACCEPTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);

    /** The document, the keys at its {@code jwks_uri}, and the algorithms id_tokens may use. */
    record Upstream(OIDCProviderMetadata metadata, UpstreamKeys keys, Set<JWSAlgorithm> algorithms, Instant fetchedAt) {
    }

    private final OidcConfig config;
    private final UpstreamHttp http;
    private final Clock clock;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Upstream current;

    UpstreamDiscovery(OidcConfig config, UpstreamHttp http, Clock clock) {
        this.config = config;
        this.http = http;
        this.clock = clock;
    }

    Upstream get() throws ConnectorUnavailableException {
        Upstream known = current;
        if (known != null && clock.instant().isBefore(known.fetchedAt().plus(REFETCH))) {
            return known;
        }
        try {
            if (!fetching.tryLock(2 * config.timeout().toMillis() + 500, TimeUnit.MILLISECONDS)) {
                return orFail(known, "another request is still fetching its discovery document");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return orFail(known, "interrupted");
        }
        try {
            if (current != known) {
                return current;
            }
            current = fetch(known);
            return current;
        } catch (ConnectorUnavailableException e) {
            if (known == null) {
                throw e;
            }
            LOG.warn("keeping the discovery document of {} from {}: {}", config.issuer(), known.fetchedAt(), e.getMessage());
            current = new Upstream(known.metadata(), known.keys(), known.algorithms(), clock.instant().minus(REFETCH)
                    .plus(Duration.ofMinutes(1)));
            return known;
        } finally {
            fetching.unlock();
        }
    }

    private Upstream orFail(Upstream known, String why) throws ConnectorUnavailableException {
        if (known == null) {
            throw new ConnectorUnavailableException(config.issuer() + ": " + why);
        }
        return known;
    }

    private Upstream fetch(Upstream known) throws ConnectorUnavailableException {
        URI uri = URI.create(IssuerUrl.base(config.issuer()) + "/.well-known/openid-configuration");
        HTTPResponse response = http.send(new HTTPRequest(HTTPRequest.Method.GET, uri));
        if (response.getStatusCode() != 200) {
            throw new ConnectorUnavailableException(uri + " answered " + response.getStatusCode());
        }
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.parse(response.getBody());
        } catch (ParseException e) {
            throw new ConnectorUnavailableException(uri + " is not a discovery document: " + e.getMessage());
        }
        // OIDC Discovery 4.3: a document that names another issuer must not be used
        if (!config.issuer().equals(metadata.getIssuer().getValue())) {
            throw new ConnectorUnavailableException(uri + " names another issuer: " + metadata.getIssuer());
        }
        if (metadata.getAuthorizationEndpointURI() == null || metadata.getTokenEndpointURI() == null
                || metadata.getJWKSetURI() == null) {
            throw new ConnectorUnavailableException(uri + " lacks an authorization, token or jwks endpoint");
        }
        for (URI endpoint : List.of(metadata.getAuthorizationEndpointURI(), metadata.getTokenEndpointURI(),
                metadata.getJWKSetURI())) {
            // an https issuer's client secret, codes and tokens never travel in the clear
            String scheme = config.issuer().startsWith("https:") ? "https" : endpoint.getScheme();
            if (!scheme.equals(endpoint.getScheme()) || !"https".equals(scheme) && !"http".equals(scheme)) {
                throw new ConnectorUnavailableException(uri + " names an endpoint that is not " + scheme + ": "
                        + endpoint);
            }
        }
        UpstreamKeys keys = known != null && known.metadata().getJWKSetURI().equals(metadata.getJWKSetURI())
                ? known.keys() : new UpstreamKeys(metadata.getJWKSetURI(), http, clock, config.timeout());
        return new Upstream(metadata, keys, algorithms(metadata), clock.instant());
    }

    /** Those the upstream lists that Lanyard accepts; RS256 (which every OpenID provider supports) when it lists none. */
    private static Set<JWSAlgorithm> algorithms(OIDCProviderMetadata metadata) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        if (metadata.getIDTokenJWSAlgs() != null) {
            metadata.getIDTokenJWSAlgs().stream().filter(ACCEPTED::contains).forEach(algorithms::add);
        }
        if (algorithms.isEmpty()) {
            algorithms.add(JWSAlgorithm.RS256);
        }
        return Set.copyOf(algorithms);
    }
}

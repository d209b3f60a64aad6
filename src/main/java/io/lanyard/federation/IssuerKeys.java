package io.lanyard.federation;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.oauth.IssuerUrl;
import io.lanyard.oauth.LimitedBody;
import io.lanyard.oauth.RefetchGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One trusted issuer's public keys, in memory. An unknown {@code kid} makes it fetch the keys
 * again through its {@link RefetchGate}: at most once per refetch interval.
 */
final class IssuerKeys {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);
    /** A JWKS or discovery document larger than this is refused rather than read into memory. */
    static final int MAX_DOCUMENT_BYTES = 512 * 1024;

    private final TrustedIssuer config;
    private final HttpClient http;
    private final Duration timeout;
    private final RefetchGate gate;
    private volatile JWKSet keys = new JWKSet();

    IssuerKeys(TrustedIssuer config, HttpClient http, Clock clock, Duration refetchInterval, Duration timeout) {
        this.config = config;
        this.http = http;
        this.timeout = timeout;
        this.gate = new RefetchGate(clock, refetchInterval, timeout.multipliedBy(2).plusMillis(500));
    }

    TrustedIssuer config() {
        return config;
    }

    /** The public keys that could have signed a token with this header, refetched once if none is known. */
    List<JWK> candidates(JWSHeader header) {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
        List<JWK> found = publicOnly(selector.select(keys));
        if (!found.isEmpty()) {
            return found;
        }
        refreshIfDue();
        return publicOnly(selector.select(keys));
    }

    private static List<JWK> publicOnly(List<JWK> keys) {
        // symmetric keys never verify here: HS* is not configurable, and a JWKS is public anyway
        return keys.stream().filter(k -> k.getKeyType() == KeyType.RSA || k.getKeyType() == KeyType.EC)
                .map(JWK::toPublicJWK).toList();
    }

    private void refreshIfDue() {
        try {
            gate.runIfDue(() -> keys = fetch());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // an I/O failure, a document that does not parse: the keys known so far stay
            LOG.warn("Cannot fetch the keys of trusted issuer {}: {}", config.issuer(), e.getMessage());
        }
    }

    private JWKSet fetch() throws IOException, InterruptedException, java.text.ParseException {
        return switch (config.keySource()) {
            case JWKS_FILE -> JWKSet.parse(Files.readString(Path.of(config.location()), StandardCharsets.UTF_8));
            case JWKS_URI -> JWKSet.parse(get(config.location()));
            case DISCOVERY -> JWKSet.parse(get(jwksUriFromDiscovery()));
        };
    }

    private String jwksUriFromDiscovery() throws IOException, InterruptedException, java.text.ParseException {
        Map<String, Object> metadata = JSONObjectUtils.parse(get(IssuerUrl.base(config.issuer())
                + "/.well-known/openid-configuration"));
        // OIDC Discovery section 4.3: a document naming another issuer must not be used
        if (!config.issuer().equals(metadata.get("issuer"))) {
            throw new IOException("its discovery document names another issuer");
        }
        Object jwksUri = metadata.get("jwks_uri");
        if (!(jwksUri instanceof String uri) || !TrustedIssuerUrls.fetchable(uri)) {
            throw new IOException("its discovery document has no https jwks_uri");
        }
        return uri;
    }

    /** The whole exchange, body included, within the timeout: a server that trickles bytes is cut off too. */
    private String get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        CompletableFuture<HttpResponse<byte[]>> pending =
                http.sendAsync(request, LimitedBody.handler(MAX_DOCUMENT_BYTES));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new IOException(url + " did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException(url + ": " + e.getCause().getMessage());
        }
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}

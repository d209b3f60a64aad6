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

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The upstream's signing keys, in memory. A key id not seen yet makes it fetch the JWKS again (the
 * upstream rotated) through a {@link RefetchGate}, at most once per {@link #REFETCH}.
 */
final class UpstreamKeys implements JWKSource<SecurityContext> {
    static final Duration REFETCH = Duration.ofSeconds(30);

    private final URI jwksUri;
    private final UpstreamHttp http;
    private final RefetchGate gate;
    private volatile JWKSet keys = new JWKSet();

    UpstreamKeys(URI jwksUri, UpstreamHttp http, Clock clock, Duration timeout) {
        this.jwksUri = jwksUri;
        this.http = http;
        this.gate = new RefetchGate(clock, REFETCH, timeout.multipliedBy(2).plusMillis(500));
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        List<JWK> found = publicOnly(selector.select(keys));
        if (!found.isEmpty()) {
            return found;
        }
        refetchIfDue();
        return publicOnly(selector.select(keys));
    }

    private static List<JWK> publicOnly(List<JWK> keys) {
        // a symmetric key in a published JWKS would let anyone who read it sign: never used
        return keys.stream().filter(k -> k.getKeyType() == KeyType.RSA || k.getKeyType() == KeyType.EC)
                .map(JWK::toPublicJWK).toList();
    }

    private void refetchIfDue() throws KeySourceException {
        gate.runIfDue(() -> {
            try {
                HTTPResponse response = http.send(new HTTPRequest(HTTPRequest.Method.GET, jwksUri));
                if (response.getStatusCode() != 200) {
                    throw new KeySourceException("the upstream's JWKS answered " + response.getStatusCode());
                }
                keys = JWKSet.parse(response.getBody());
            } catch (ConnectorUnavailableException e) {
                throw new KeySourceException("the upstream's JWKS cannot be fetched: " + e.getMessage());
            } catch (ParseException e) {
                throw new KeySourceException("the upstream's JWKS is not a JWK set: " + e.getMessage());
            }
        });
    }
}

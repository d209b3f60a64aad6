package io.lanyard.testing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The checks kube-apiserver's OIDC authenticator makes of an id_token, with
 * {@code --oidc-username-claim=email --oidc-groups-claim=groups} and the default signing
 * algorithm: discovery fetched from the issuer (over the given client, so with the given CA),
 * its {@code issuer} equal to the configured URL byte for byte, RS256 only, {@code aud}
 * containing the client id, not expired, {@code email_verified} true, {@code groups} a string
 * array. Keys are fetched again when an unknown kid appears, as the apiserver does.
 */
public final class KubeApiserverCheck {
    private final HttpClient http;
    private final String issuerUrl;
    private final String clientId;
    private final URI jwksUri;
    private JWKSet keys;

    public KubeApiserverCheck(HttpClient http, String issuerUrl, String clientId) throws Exception {
        this.http = http;
        this.issuerUrl = issuerUrl;
        this.clientId = clientId;
        String base = issuerUrl.endsWith("/") ? issuerUrl.substring(0, issuerUrl.length() - 1) : issuerUrl;
        Map<String, Object> discovery = JSONObjectUtils.parse(fetch(URI.create(base + "/.well-known/openid-configuration")));
        if (!issuerUrl.equals(discovery.get("issuer"))) {
            throw new AssertionError("discovery issuer " + discovery.get("issuer") + " differs from " + issuerUrl);
        }
        this.jwksUri = URI.create((String) discovery.get("jwks_uri"));
        this.keys = JWKSet.parse(fetch(jwksUri));
    }

    public JWTClaimsSet verify(String idToken) throws Exception {
        SignedJWT jwt = SignedJWT.parse(idToken);
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new AssertionError("kube-apiserver accepts RS256 by default, got " + jwt.getHeader().getAlgorithm());
        }
        String kid = jwt.getHeader().getKeyID();
        JWK key = keys.getKeyByKeyId(kid);
        if (key == null) {
            keys = JWKSet.parse(fetch(jwksUri));
            key = keys.getKeyByKeyId(kid);
        }
        if (key == null || !jwt.verify(new RSASSAVerifier(key.toRSAKey()))) {
            throw new AssertionError("signature does not verify with the published keys");
        }
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        if (!issuerUrl.equals(claims.getIssuer())) {
            throw new AssertionError("iss " + claims.getIssuer() + " is not " + issuerUrl);
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(clientId)) {
            throw new AssertionError("aud " + claims.getAudience() + " does not contain " + clientId);
        }
        if (claims.getExpirationTime() == null || !claims.getExpirationTime().after(new Date())) {
            throw new AssertionError("expired");
        }
        if (claims.getStringClaim("email") == null || !Boolean.TRUE.equals(claims.getBooleanClaim("email_verified"))) {
            throw new AssertionError("username claim email needs email_verified true: " + claims);
        }
        Object groups = claims.getClaim("groups");
        if (!(groups instanceof List<?> list) || !list.stream().allMatch(g -> g instanceof String)) {
            throw new AssertionError("groups must be an array of strings: " + groups);
        }
        return claims;
    }

    private String fetch(URI uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(uri + " answered " + response.statusCode());
        }
        return response.body();
    }
}

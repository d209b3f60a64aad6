package io.lanyard.resourceserver;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.Map;
import java.util.Set;

/** Nimbus JOSE+JWT alone: the key set found through discovery, then typ, signature, iss, aud and exp. */
public final class NimbusAccessTokens {
    private NimbusAccessTokens() {
    }

    public static ConfigurableJWTProcessor<SecurityContext> processor(String issuer, String audience)
            throws IOException, ParseException {
        // cached, and fetched again for a kid it does not know yet
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwksUri(issuer)).build();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        // RFC 9068 access tokens are typed at+jwt; Nimbus's default verifier takes only JWT or no typ
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                audience,                                          // aud must hold this API
                new JWTClaimsSet.Builder().issuer(issuer).build(), // iss must be exactly Lanyard's
                Set.of("sub", "exp", "client_id")));               // exp is checked against the clock
        return processor;
    }

    /** OpenID Connect Discovery: the metadata names the key set, and must name the issuer exactly. */
    static URL jwksUri(String issuer) throws IOException, ParseException {
        URL discovery = URI.create(issuer + "/.well-known/openid-configuration").toURL();
        Map<String, Object> metadata = JSONObjectUtils.parse(
                new DefaultResourceRetriever(2000, 2000).retrieveResource(discovery).getContent());
        if (!issuer.equals(metadata.get("issuer"))) {
            throw new IOException(discovery + " names another issuer: " + metadata.get("issuer"));
        }
        return URI.create(JSONObjectUtils.getString(metadata, "jwks_uri")).toURL();
    }
}

package io.lanyard.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;

import java.io.IOException;
import java.net.URL;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resource server that knows nothing but the issuer URL: it reads the discovery document,
 * fetches keys from its {@code jwks_uri} (caching them as verifiers do) and checks RFC 9068 tokens.
 */
public final class RemoteVerifier {
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();

    public RemoteVerifier(String issuer, String audience) {
        try {
            AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new com.nimbusds.oauth2.sdk.id.Issuer(issuer));
            ResourceRetriever counting = new ResourceRetriever() {
                private final DefaultResourceRetriever delegate = new DefaultResourceRetriever(2000, 2000);

                @Override
                public Resource retrieveResource(URL url) throws IOException {
                    jwksFetches.incrementAndGet();
                    return delegate.retrieveResource(url);
                }
            };
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(metadata.getJWKSetURI().toURL(), counting)
                    .retrying(false).build();
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                    new JWTClaimsSet.Builder().issuer(issuer).build(),
                    Set.of("sub", "aud", "exp", "iat", "jti", "client_id")));
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up a verifier for " + issuer, e);
        }
    }

    public JWTClaimsSet verify(String token) throws Exception {
        return processor.process(token, null);
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }
}

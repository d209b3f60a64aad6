package io.lanyard.resourceserver;

import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.util.Objects;

/** Spring Security's decoder for Lanyard's access tokens, without Spring Boot. */
public final class SpringAccessTokens {
    private SpringAccessTokens() {
    }

    public static JwtDecoder decoder(String issuer, String audience) {
        // discovery: the jwks_uri, and the issuer it names must match
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer)
                .validateType(false) // Nimbus's own typ check takes only JWT or none, never at+jwt ...
                .build();
        // ... so RFC 9068's checks do it: typ at+jwt, iss, aud, exp, iat, sub, jti and client_id
        decoder.setJwtValidator(JwtValidators.createAtJwtValidator()
                .issuer(issuer)
                .audience(audience)
                // any client may call this API: RFC 9068 asks only that the token names one
                .validators(v -> v.put("client_id", new JwtClaimValidator<String>("client_id", Objects::nonNull)))
                .build());
        return decoder;
    }
}

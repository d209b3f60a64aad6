package io.lanyard.resourceserver;

import io.micronaut.context.annotation.Requires;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

/**
 * Micronaut Security never looks at a token's typ, so an id_token whose aud is this API (one issued to a
 * client whose id is the API's audience) would pass for an access token. RFC 9068 access tokens always
 * name the client they were issued to; id_tokens never do.
 */
@Singleton
@Requires(beans = SecurityFilter.class)
public class ClientIdRequired<T> implements GenericJwtClaimsValidator<T> {

    @Override
    public boolean validate(Claims claims, T request) {
        return claims.get("client_id") != null;
    }
}

package io.lanyard.token;

import com.nimbusds.oauth2.sdk.Scope;
import io.lanyard.clients.Client;
import io.lanyard.oauth.GrantTypes;
import jakarta.inject.Singleton;

import java.util.List;

/** RFC 6749 section 4.4: the client acts for itself, so it is the token's subject. */
@Singleton
public class ClientCredentialsGrant implements GrantHandler {
    private final AccessTokenIssuer issuer;

    public ClientCredentialsGrant(AccessTokenIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public String grantType() {
        return GrantTypes.CLIENT_CREDENTIALS;
    }

    @Override
    public IssuedToken handle(GrantRequest request) {
        Client client = request.client();
        Scope scope = RequestedTargets.scope(client, request);
        List<String> audience = RequestedTargets.audience(client, request);
        return issuer.issue(AccessTokenSpec.of(request, client, client.clientId(), audience, scope));
    }
}

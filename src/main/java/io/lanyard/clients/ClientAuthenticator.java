package io.lanyard.clients;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import io.lanyard.token.OAuthException;
import io.lanyard.token.Parameters;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Client authentication at the token endpoint: {@code client_secret_basic} and
 * {@code client_secret_post} (RFC 6749 section 2.3.1), and {@code none} for public clients, from
 * the in-memory registry. Unknown
 * clients and wrong secrets get the same answer and cost the same time.
 */
@Singleton
public class ClientAuthenticator {
    private static final String FAILED = "client authentication failed";

    private final ClientRegistry registry;

    public ClientAuthenticator(ClientRegistry registry) {
        this.registry = registry;
    }

    public Client authenticate(@Nullable String authorization, Map<String, List<String>> parameters) {
        String postId = Parameters.single(parameters, "client_id");
        String postSecret = Parameters.single(parameters, "client_secret");
        boolean assertion = Parameters.single(parameters, "client_assertion") != null;
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                throw OAuthException.invalidClient("only Basic client authentication is accepted in the Authorization header");
            }
            if (postSecret != null || assertion) {
                throw OAuthException.invalidRequest("use exactly one client authentication method");
            }
            ClientSecretBasic basic;
            try {
                basic = ClientSecretBasic.parse(authorization);
            } catch (ParseException e) {
                throw OAuthException.invalidClient("malformed Basic client credentials");
            }
            String clientId = basic.getClientID().getValue();
            if (postId != null && !postId.equals(clientId)) {
                throw OAuthException.invalidRequest("client_id does not match the authenticated client");
            }
            return verify(clientId, basic.getClientSecret().getValue());
        }
        if (postSecret != null) {
            if (assertion) {
                throw OAuthException.invalidRequest("use exactly one client authentication method");
            }
            if (postId == null) {
                throw OAuthException.invalidRequest("client_secret needs client_id");
            }
            return verify(postId, postSecret);
        }
        if (assertion) {
            throw OAuthException.invalidClient("client_assertion is not accepted by this server");
        }
        if (postId != null) {
            // RFC 6749 section 2.3 and RFC 7636: a public client names itself; PKCE, checked by the
            // grant, is what binds the request to the one that started the flow.
            Client client = registry.find(postId).orElse(null);
            if (client != null && client.publicClient()) {
                return client;
            }
        }
        throw OAuthException.invalidClient("client authentication is required");
    }

    private Client verify(String clientId, String secret) {
        if (secret == null || secret.isEmpty()) {
            // an empty Basic password ("id:") is no credential at all
            throw OAuthException.invalidClient(FAILED);
        }
        Client client = registry.find(clientId).orElse(null);
        if (client == null) {
            ClientSecrets.decoyCheck(secret);
            throw OAuthException.invalidClient(FAILED);
        }
        if (!ClientSecrets.matches(secret, client.secretDigest())) {
            throw OAuthException.invalidClient(FAILED);
        }
        return client;
    }
}

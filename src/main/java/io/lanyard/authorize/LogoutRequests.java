package io.lanyard.authorize;

import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.jwt.OwnTokens;
import io.lanyard.jwt.TokenKind;
import io.lanyard.oauth.FormBody;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.Parameters;
import io.lanyard.oauth.RedirectLocations;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * OpenID Connect RP-Initiated Logout 1.0. A logout is only redirected to a URI registered for the
 * client, and is carried out at once only with a valid {@code id_token_hint}: without one,
 * anyone's page could log a user out, so the user is asked to confirm.
 */
@Singleton
public class LogoutRequests {

    /**
     * @param returnTo    where to send the browser afterwards (state appended), or null for our page
     * @param hintSubject the user the id_token_hint names; null without a hint
     */
    public record LogoutRequest(String raw, @Nullable String returnTo, @Nullable String hintSubject) {
    }

    public static final class InvalidLogout extends Exception {
        public InvalidLogout(String message) {
            super(message, null, false, false);
        }
    }

    private final ClientRegistry clients;
    private final OwnTokens ownTokens;

    public LogoutRequests(ClientRegistry clients, OwnTokens ownTokens) {
        this.clients = clients;
        this.ownTokens = ownTokens;
    }

    public LogoutRequest parse(@Nullable String raw) throws InvalidLogout {
        String text = raw == null ? "" : raw;
        if (text.length() > 8192) {
            throw new InvalidLogout("the request is too large");
        }
        Map<String, List<String>> p;
        try {
            p = FormBody.parse(text);
        } catch (OAuthException e) {
            throw new InvalidLogout("the request's parameters are not correctly encoded");
        }
        for (List<String> values : p.values()) {
            if (values.size() > 1) {
                throw new InvalidLogout("a parameter is repeated");
            }
        }
        String hint = Parameters.single(p, "id_token_hint");
        String clientId = Parameters.single(p, "client_id");
        String subject = null;
        if (hint != null) {
            JWTClaimsSet claims;
            try {
                // an expired id_token is still a fine hint (RP-Initiated Logout section 2)
                claims = ownTokens.verify(hint, TokenKind.ID_TOKEN, false);
            } catch (OwnTokens.InvalidTokenException e) {
                throw new InvalidLogout("id_token_hint is not an id_token from this server");
            }
            List<String> audience = claims.getAudience();
            if (clientId == null && audience.size() == 1) {
                clientId = audience.get(0);
            } else if (clientId != null && !audience.contains(clientId)) {
                throw new InvalidLogout("id_token_hint was issued to another client");
            }
            subject = claims.getSubject();
        }
        String postLogout = Parameters.single(p, "post_logout_redirect_uri");
        String returnTo = null;
        if (postLogout != null) {
            Client client = clientId == null ? null : clients.find(clientId).orElse(null);
            if (client == null) {
                throw new InvalidLogout("post_logout_redirect_uri needs client_id or id_token_hint");
            }
            if (!client.postLogoutRedirectUris().contains(postLogout)) {
                throw new InvalidLogout("post_logout_redirect_uri is not registered for this client");
            }
            returnTo = RedirectLocations.withState(postLogout, Parameters.single(p, "state"));
        }
        return new LogoutRequest(text, returnTo, subject);
    }
}

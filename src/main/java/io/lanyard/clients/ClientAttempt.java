package io.lanyard.clients;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import io.lanyard.oauth.ClientAuthMethods;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.Parameters;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Who a token request claims to be and how it tries to prove it, read before anything is verified,
 * so that a refused client authentication (at /token, /introspect, /revoke, /device/code) can be logged for the operator (client id, method,
 * reason; never the credential itself). The request's credentials are only read again when a
 * refusal is logged, so a client that authenticates pays nothing for this. The client id is the
 * caller's text: it is logged printable and short, never trusted.
 */
public record ClientAttempt(@Nullable String authorization, Map<String, List<String>> parameters, boolean certificate) {
    private static final Logger LOG = LoggerFactory.getLogger(ClientAttempt.class);

    /** Logs {@code refusal} when it is a failed client authentication, and hands it back to be thrown. */
    public OAuthException logged(OAuthException refusal) {
        if ("invalid_client".equals(refusal.error().getCode())) {
            LOG.info("client authentication failed: client={} method={} reason={}", printable(clientId()), method(),
                    refusal.error().getDescription());
        }
        return refusal;
    }

    /** The client the request names: the Basic user name, else the form's client_id. */
    private @Nullable String clientId() {
        if (authorization != null) {
            try {
                return ClientSecretBasic.parse(authorization).getClientID().getValue();
            } catch (ParseException e) {
                // not Basic, or malformed: the id, if any, is the form's
            }
        }
        return Parameters.single(parameters, "client_id");
    }

    private String method() {
        if (authorization != null) {
            return ClientAuthMethods.CLIENT_SECRET_BASIC;
        }
        if (Parameters.single(parameters, "client_secret") != null) {
            return ClientAuthMethods.CLIENT_SECRET_POST;
        }
        if (Parameters.single(parameters, "client_assertion") != null) {
            return ClientAuthMethods.PRIVATE_KEY_JWT;
        }
        return certificate ? ClientAuthMethods.TLS_CLIENT_AUTH : ClientAuthMethods.NONE;
    }

    private static String printable(@Nullable String value) {
        if (value == null) {
            return "-";
        }
        String trimmed = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return trimmed.replaceAll("[^\\x21-\\x7E]", "?");
    }
}

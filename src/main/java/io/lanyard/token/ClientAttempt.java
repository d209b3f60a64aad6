package io.lanyard.token;

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
 * so that a refused client authentication can be logged for the operator (client id, method,
 * reason; never the credential itself). The client id is the caller's text: it is logged printable
 * and short, never trusted.
 */
record ClientAttempt(String clientId, String method) {
    private static final Logger LOG = LoggerFactory.getLogger(ClientAttempt.class);

    static ClientAttempt of(@Nullable String authorization, Map<String, List<String>> parameters, boolean certificate) {
        String clientId = Parameters.single(parameters, "client_id");
        if (authorization != null) {
            try {
                clientId = ClientSecretBasic.parse(authorization).getClientID().getValue();
            } catch (ParseException e) {
                // not Basic, or malformed: the id, if any, is the form's
            }
            return new ClientAttempt(printable(clientId), ClientAuthMethods.CLIENT_SECRET_BASIC);
        }
        if (Parameters.single(parameters, "client_secret") != null) {
            return new ClientAttempt(printable(clientId), ClientAuthMethods.CLIENT_SECRET_POST);
        }
        if (Parameters.single(parameters, "client_assertion") != null) {
            return new ClientAttempt(printable(clientId), ClientAuthMethods.PRIVATE_KEY_JWT);
        }
        return new ClientAttempt(printable(clientId), certificate ? ClientAuthMethods.TLS_CLIENT_AUTH : ClientAuthMethods.NONE);
    }

    /** Logs {@code refusal} when it is a failed client authentication, and hands it back to be thrown. */
    OAuthException logged(OAuthException refusal) {
        if ("invalid_client".equals(refusal.error().getCode())) {
            LOG.info("client authentication failed: client={} method={} reason={}", clientId, method,
                    refusal.error().getDescription());
        }
        return refusal;
    }

    private static String printable(@Nullable String value) {
        if (value == null) {
            return "-";
        }
        String trimmed = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return trimmed.replaceAll("[^\\x21-\\x7E]", "?");
    }
}

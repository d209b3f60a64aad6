package io.lanyard.clients;

import io.lanyard.config.TokenProperties;
import io.lanyard.oauth.FormRequests;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.Parameters;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A form POST from a client to an endpoint other than /token that authenticates it the same way:
 * revocation (RFC 7009 2.1), introspection (RFC 7662 2.1) and device authorization (RFC 8628 3.1).
 */
@Singleton
public class ClientForms {

    /** The HTTP request's parts, without HTTP types. */
    public record Request(@Nullable String contentType, @Nullable String body, @Nullable String authorization,
                          List<X509Certificate> certificates) {
        public Request {
            certificates = List.copyOf(certificates);
        }
    }

    /** A form whose shape checked out; its client is authenticated, or (an assertion) will be in {@link #client()}. */
    public record ClientForm(ClientAuthenticator.Authentication authentication, Map<String, List<String>> parameters,
                             ClientAttempt attempt) {
        /** True when authenticating the client touches the database (a client assertion's jti). */
        public boolean blocking() {
            return authentication.blocking();
        }

        public Client client() {
            try {
                return authentication.client();
            } catch (OAuthException e) {
                throw attempt.logged(e);
            }
        }

        public @Nullable String parameter(String name) {
            return Parameters.single(parameters, name);
        }
    }

    private final ClientAuthenticator authenticator;
    private final int maxBodyBytes;

    public ClientForms(ClientAuthenticator authenticator, TokenProperties tokens) {
        this.authenticator = authenticator;
        this.maxBodyBytes = tokens.maxBodyBytes();
    }

    public ClientForm read(Request request) {
        Map<String, List<String>> parameters = FormRequests.parse(request.contentType(), request.body(), maxBodyBytes,
                Set.of());
        ClientAttempt attempt = new ClientAttempt(request.authorization(), parameters, !request.certificates().isEmpty());
        try {
            return new ClientForm(authenticator.start(request.authorization(), parameters, request.certificates()),
                    parameters, attempt);
        } catch (OAuthException e) {
            throw attempt.logged(e);
        }
    }
}

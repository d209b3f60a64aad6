package io.lanyard.token;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientAttempt;
import io.lanyard.clients.ClientAuthenticator;
import io.lanyard.clients.MutualTls;
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
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The token endpoint without HTTP: checks the request's shape, authenticates the client and
 * hands the request to the handler of its grant type.
 */
@Singleton
public class TokenEndpoint {
    /** Parameters that may repeat (RFC 8707 section 2, RFC 8693 section 2.1); no other may. */
    private static final Set<String> MULTI_VALUED = Set.of("resource", "audience");

    /**
     * @param certificates the client's TLS certificate, then any intermediates it sent (RFC 8705); empty
     *                     without TLS or when none was presented
     */
    public record Request(@Nullable String contentType, @Nullable String body, @Nullable String authorization,
                          List<X509Certificate> certificates) {
        public Request {
            certificates = List.copyOf(certificates);
        }

        public Request(@Nullable String contentType, @Nullable String body, @Nullable String authorization) {
            this(contentType, body, authorization, List.of());
        }
    }

    /**
     * A request whose shape checked out, ready for its grant handler. Its client is authenticated,
     * or (a client assertion) will be in {@link #run()}, which then runs on the blocking pool.
     * {@code authentication} is null when the grant itself names the client
     * ({@link GrantHandler#identifiesClient()}); the handler then gets a null client.
     */
    public record Prepared(@Nullable ClientAuthenticator.Authentication authentication, GrantHandler handler,
                           Map<String, List<String>> parameters, ClientAttempt attempt) {
        public boolean blocking() {
            return handler.blocking(parameters) || (authentication != null && authentication.blocking());
        }

        public IssuedToken run() {
            if (authentication == null) {
                return handler.handle(GrantRequest.of(handler.grantType(), null, parameters));
            }
            Client client;
            try {
                client = authentication.client();
            } catch (OAuthException e) {
                throw attempt.logged(e);
            }
            checkGrantAllowed(client, handler.grantType());
            X509Certificate certificate = authentication.certificate();
            return handler.handle(new GrantRequest(handler.grantType(), client,
                    certificate == null ? null : MutualTls.thumbprint(certificate), parameters));
        }
    }

    private final ClientAuthenticator authenticator;
    private final Map<String, GrantHandler> handlers;
    private final int maxBodyBytes;

    public TokenEndpoint(ClientAuthenticator authenticator, List<GrantHandler> handlers, TokenProperties tokens) {
        this.authenticator = authenticator;
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(GrantHandler::grantType, Function.identity()));
        this.maxBodyBytes = tokens.maxBodyBytes();
    }

    public IssuedToken handle(Request request) {
        return prepare(request).run();
    }

    /**
     * Everything up to the grant handler that needs memory only, so it may run on the event loop;
     * a client assertion is left to {@link Prepared#run()}.
     */
    public Prepared prepare(Request request) {
        Map<String, List<String>> parameters = FormRequests.parse(request.contentType(), request.body(), maxBodyBytes,
                MULTI_VALUED);
        String grantType = Parameters.single(parameters, "grant_type");
        GrantHandler named = grantType == null ? null : handlers.get(grantType);
        if (named != null && named.identifiesClient() && !hasClientCredentials(request, parameters)) {
            // RFC 7523 section 3.1: client authentication is optional; the assertion names the client
            return new Prepared(null, named, parameters, new ClientAttempt(null, parameters, false));
        }
        ClientAttempt attempt = new ClientAttempt(request.authorization(), parameters, !request.certificates().isEmpty());
        ClientAuthenticator.Authentication authentication;
        try {
            authentication = authenticator.start(request.authorization(), parameters, request.certificates());
        } catch (OAuthException e) {
            throw attempt.logged(e);
        }
        if (grantType == null) {
            throw OAuthException.invalidRequest("grant_type is missing");
        }
        GrantHandler handler = handlers.get(grantType);
        if (handler == null) {
            throw OAuthException.unsupportedGrantType("grant_type '" + FormRequests.safeName(grantType) + "' is not supported");
        }
        if (!authentication.blocking()) {
            checkGrantAllowed(authentication.client(), grantType);
        }
        return new Prepared(authentication, handler, parameters, attempt);
    }

    private static void checkGrantAllowed(Client client, String grantType) {
        if (!client.allowsGrant(grantType)) {
            throw OAuthException.unauthorizedClient("the client may not use grant_type " + grantType);
        }
    }

    private static boolean hasClientCredentials(Request request, Map<String, List<String>> parameters) {
        return request.authorization() != null || parameters.containsKey("client_id")
                || parameters.containsKey("client_secret") || parameters.containsKey("client_assertion");
    }
}

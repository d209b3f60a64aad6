package io.lanyard.clients;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import io.lanyard.federation.RejectedTokenException;
import io.lanyard.federation.TrustedIssuers;
import io.lanyard.federation.VerifiedExternalToken;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.Parameters;
import io.lanyard.tls.ClientCertificateAuthorities;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * Client authentication at the token endpoint: {@code client_secret_basic} and
 * {@code client_secret_post} (RFC 6749 section 2.3.1), {@code none} for public clients, from
 * the in-memory registry, {@code private_key_jwt} (RFC 7523 section 2.2), a trusted issuer's
 * token (a pod's service-account token) as the assertion of the client it maps to, and the TLS
 * client certificate ({@code tls_client_auth}, {@code self_signed_tls_client_auth}, RFC 8705
 * section 2). Unknown
 * clients and wrong secrets get the same answer and cost the same time.
 */
@Singleton
public class ClientAuthenticator {
    private static final String FAILED = "client authentication failed";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClientAuthenticator.class);

    /**
     * An authenticated client, or what remains to authenticate it. Secrets are checked at once in
     * memory; an assertion is checked later, off the event loop, because its jti is written to the
     * database (and its keys may have to be fetched).
     */
    public interface Authentication {
        Client client();

        /** True when {@link #client()} may block. */
        boolean blocking();

        /** The TLS client certificate the client authenticated with (RFC 8705), to bind its tokens to; or null. */
        @Nullable
        default X509Certificate certificate() {
            return null;
        }
    }

    private record Done(Client client, @Nullable X509Certificate certificate) implements Authentication {
        Done(Client client) {
            this(client, null);
        }

        @Override
        public boolean blocking() {
            return false;
        }
    }

    private record Assertion(ClientAssertionVerifier verifier, TrustedIssuers trustedIssuers, ClientRegistry registry,
                             String assertion, @Nullable String clientId) implements Authentication {
        /** The assertion is parsed once: its unverified {@code iss} chooses the verifier, which checks that parse. */
        @Override
        public Client client() {
            SignedJWT jwt = TrustedIssuers.parse(assertion);
            if (jwt == null) {
                throw OAuthException.invalidClient("client_assertion is not a signed JWT");
            }
            if (trustedIssuers.trusts(TrustedIssuers.unverifiedIssuer(jwt))) {
                return fromTrustedIssuer(jwt);
            }
            return verifier.verify(jwt, clientId);
        }

        /**
         * A pod's service-account token as its client's credential (RFC 7523 section 2.2 with a
         * trusted issuer): the service account maps to the client, so the pod needs no secret.
         */
        private Client fromTrustedIssuer(SignedJWT jwt) {
            VerifiedExternalToken verified;
            try {
                verified = trustedIssuers.verify(jwt);
            } catch (RejectedTokenException e) {
                LOG.info("client assertion from a trusted issuer refused: {}", e.getMessage());
                throw OAuthException.invalidClient(FAILED);
            }
            if (clientId != null && !clientId.equals(verified.mappedClientId())) {
                throw OAuthException.invalidClient(FAILED);
            }
            return registry.find(verified.mappedClientId()).orElseThrow(() -> OAuthException.invalidClient(FAILED));
        }

        @Override
        public boolean blocking() {
            return true;
        }
    }

    private final ClientRegistry registry;
    private final ClientAssertionVerifier assertions;
    private final TrustedIssuers trustedIssuers;
    private final ClientCertificateAuthorities authorities;

    public ClientAuthenticator(ClientRegistry registry, ClientAssertionVerifier assertions, TrustedIssuers trustedIssuers,
                               ClientCertificateAuthorities authorities) {
        this.registry = registry;
        this.assertions = assertions;
        this.trustedIssuers = trustedIssuers;
        this.authorities = authorities;
    }


    /** Authenticates a client now; it may block when the client uses an assertion. */
    public Client authenticate(@Nullable String authorization, Map<String, List<String>> parameters) {
        return start(authorization, parameters).client();
    }

    /**
     * Checks the request's credentials as far as memory allows: exactly one method, well formed.
     * Secret and public clients come back authenticated; an assertion comes back to be verified.
     */
    public Authentication start(@Nullable String authorization, Map<String, List<String>> parameters) {
        return start(authorization, parameters, List.of());
    }

    /**
     * As {@link #start(String, Map)}, with the certificates the client presented in the TLS handshake,
     * its own first (empty without TLS or without a certificate). A client registered for mutual TLS
     * names itself with client_id and authenticates with nothing but its certificate.
     */
    public Authentication start(@Nullable String authorization, Map<String, List<String>> parameters,
                                List<X509Certificate> certificates) {
        String postId = Parameters.single(parameters, "client_id");
        String postSecret = Parameters.single(parameters, "client_secret");
        String assertionType = Parameters.single(parameters, "client_assertion_type");
        String assertionValue = Parameters.single(parameters, "client_assertion");
        boolean assertion = assertionValue != null || assertionType != null;
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
            return new Done(verify(clientId, basic.getClientSecret().getValue()));
        }
        if (postSecret != null) {
            if (assertion) {
                throw OAuthException.invalidRequest("use exactly one client authentication method");
            }
            if (postId == null) {
                throw OAuthException.invalidRequest("client_secret needs client_id");
            }
            return new Done(verify(postId, postSecret));
        }
        if (assertion) {
            if (assertionValue == null || assertionType == null) {
                throw OAuthException.invalidRequest("client_assertion and client_assertion_type go together");
            }
            if (!ClientAssertionVerifier.ASSERTION_TYPE.equals(assertionType)) {
                throw OAuthException.invalidRequest("client_assertion_type must be " + ClientAssertionVerifier.ASSERTION_TYPE);
            }
            return new Assertion(assertions, trustedIssuers, registry, assertionValue, postId);
        }
        if (postId != null) {
            Client client = registry.find(postId).orElse(null);
            if (client != null && client.usesMutualTls()) {
                return new Done(verifyCertificate(client, certificates), certificates.get(0));
            }
            // RFC 6749 section 2.3 and RFC 7636: a public client names itself; PKCE, checked by the
            // grant, is what binds the request to the one that started the flow.
            if (client != null && client.publicClient()) {
                return new Done(client);
            }
        }
        throw OAuthException.invalidClient("client authentication is required");
    }

    /**
     * RFC 8705 section 2.1: a tls_client_auth certificate must chain to a trusted client CA and hold
     * the registered name; section 2.2: a self-signed one must be the registered certificate.
     */
    private Client verifyCertificate(Client client, List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            throw OAuthException.invalidClient("this client authenticates with a TLS client certificate, and none was presented");
        }
        if (!holdsCertificate(client, certificates)) {
            throw OAuthException.invalidClient(FAILED);
        }
        return client;
    }

    /** True when the TLS client certificate (first, then its chain) is the one this mutual-TLS client registered. */
    public boolean holdsCertificate(Client client, List<X509Certificate> certificates) {
        if (certificates.isEmpty() || !client.usesMutualTls()) {
            return false;
        }
        MutualTls tls = client.mutualTls();
        boolean trusted = tls.selfSigned() || authorities.trusts(certificates);
        return trusted && tls.matches(certificates.get(0));
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

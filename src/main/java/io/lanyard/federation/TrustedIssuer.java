package io.lanyard.federation;

import com.nimbusds.jose.JWSAlgorithm;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * An external issuer whose tokens Lanyard accepts, e.g. a cluster's service-account issuer.
 *
 * @param issuer         compared byte for byte with the token's {@code iss}
 * @param keySource      where its public keys come from
 * @param location       the JWKS URL ({@link KeySource#JWKS_URI}) or file ({@link KeySource#JWKS_FILE});
 *                       null for discovery, which finds the URL in {@code {issuer}/.well-known/openid-configuration}
 * @param algorithms     the only algorithms accepted, whatever a token's header claims
 * @param audience       the value the token's {@code aud} must contain (the pod's projected-token audience)
 * @param maxTokenAge    tokens issued longer ago are refused; null for no limit beyond {@code exp}
 * @param serviceAccounts which Kubernetes service accounts act as which client
 */
public record TrustedIssuer(String issuer, KeySource keySource, @Nullable String location,
                            Set<JWSAlgorithm> algorithms, String audience, @Nullable Duration maxTokenAge,
                            List<ServiceAccountRule> serviceAccounts) {

    public enum KeySource { DISCOVERY, JWKS_URI, JWKS_FILE }

    /** Signature algorithms that may be configured: asymmetric only, so a published key can never forge. */
    public static final Set<JWSAlgorithm> ALLOWED_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    public TrustedIssuer {
        algorithms = Set.copyOf(algorithms);
        serviceAccounts = List.copyOf(serviceAccounts);
    }

    /**
     * The service account {@code serviceAccount} (or any, for {@code *}) in {@code namespace} is the
     * client {@code client}.
     */
    public record ServiceAccountRule(String namespace, String serviceAccount, String client) {
        public static final String ANY = "*";

        boolean matches(String namespace, String serviceAccount) {
            return this.namespace.equals(namespace)
                    && (ANY.equals(this.serviceAccount) || this.serviceAccount.equals(serviceAccount));
        }
    }

    /** The client the service account maps to: the first rule that matches, in file order. */
    @Nullable
    public String clientFor(String namespace, String serviceAccount) {
        for (ServiceAccountRule rule : serviceAccounts) {
            if (rule.matches(namespace, serviceAccount)) {
                return rule.client();
            }
        }
        return null;
    }
}

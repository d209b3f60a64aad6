package io.lanyard.federation;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * A token from a trusted issuer whose signature, times, audience and subject checked out.
 *
 * @param issuer         the token's {@code iss}, one of the configured issuers
 * @param subject        its {@code sub}, e.g. {@code system:serviceaccount:billing:invoicer}
 * @param claims         all its claims, as parsed once (Nimbus's claims set is immutable)
 * @param mappedClientId the Lanyard client the configuration maps this subject to
 * @param namespace      the Kubernetes namespace from the subject
 * @param serviceAccount the service account's name from the subject
 */
public record VerifiedExternalToken(String issuer, String subject, JWTClaimsSet claims,
                                    String mappedClientId, String namespace, String serviceAccount) {
}

package io.lanyard.kube;

import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What kube-apiserver needs to accept Lanyard's id_tokens: the legacy {@code --oidc-*} flags, or a
 * structured {@code AuthenticationConfiguration} ({@code apiserver.config.k8s.io/v1} from Kubernetes
 * 1.34, {@code v1beta1} from 1.30 to 1.33), with the field names, required fields and CEL expressions
 * that Kubernetes documents.
 */
public final class ApiserverConfig {
    public static final String V1 = "v1";
    public static final String V1BETA1 = "v1beta1";
    /** Kubernetes' documented check that an email used as the username was verified. */
    static final String EMAIL_VERIFIED = "claims.?email_verified.orValue(true) == true";
    /** Kubernetes' documented checks that no token makes a user or group in the system: namespace. */
    static final String NO_SYSTEM_USERNAME = "!user.username.startsWith('system:')";
    static final String NO_SYSTEM_GROUPS = "user.groups.all(group, !group.startsWith('system:'))";

    /**
     * @param issuer     Lanyard's issuer URL, https (kube-apiserver accepts no other)
     * @param audiences  the client ids whose id_tokens the cluster accepts; at least one
     * @param caPem      the CA that signed the issuer's certificate, PEM; null when the system's CAs do
     * @param signingAlg the algorithm of the clients' id_tokens (RS256 unless a client asks for ES256)
     */
    public record Trust(String issuer, List<String> audiences, @Nullable String caPem, ClaimNames claims,
                        String signingAlg) {
        public Trust {
            audiences = List.copyOf(new LinkedHashSet<>(audiences));
            URI uri = URI.create(issuer);
            if (!"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("kube-apiserver accepts only https issuers, and this issuer is "
                        + issuer + ": serve Lanyard over HTTPS (LANYARD_TLS_CERT_FILE, or a proxy that terminates TLS)"
                        + " and set LANYARD_ISSUER to its https URL");
            }
            if (audiences.isEmpty()) {
                throw new IllegalArgumentException("give at least one --client");
            }
        }
    }

    private ApiserverConfig() {
    }

    /** The {@code AuthenticationConfiguration} document: one JWT authenticator for this issuer. */
    public static Map<String, Object> authenticationConfiguration(Trust trust, String apiVersion) {
        if (!V1.equals(apiVersion) && !V1BETA1.equals(apiVersion)) {
            throw new IllegalArgumentException("--api-version must be v1 (Kubernetes 1.34 and later) or v1beta1 "
                    + "(1.30 to 1.33), not '" + apiVersion + "'");
        }
        Map<String, Object> issuer = new LinkedHashMap<>();
        issuer.put("url", trust.issuer());
        issuer.put("audiences", trust.audiences());
        if (trust.audiences().size() > 1) {
            // required with more than one audience: any one of them will do
            issuer.put("audienceMatchPolicy", "MatchAny");
        }
        if (trust.caPem() != null) {
            issuer.put("certificateAuthority", trust.caPem());
        }
        ClaimNames claims = trust.claims();
        Map<String, Object> mappings = new LinkedHashMap<>();
        mappings.put("username", prefixed(claims.usernameClaim(), claims.usernamePrefix()));
        mappings.put("groups", prefixed(claims.groupsClaim(), claims.groupsPrefix()));
        mappings.put("uid", Map.of("claim", "sub"));
        Map<String, Object> authenticator = new LinkedHashMap<>();
        authenticator.put("issuer", issuer);
        if ("email".equals(claims.usernameClaim())) {
            authenticator.put("claimValidationRules", List.of(rule(EMAIL_VERIFIED, "the email must be verified")));
        }
        authenticator.put("claimMappings", mappings);
        authenticator.put("userValidationRules", List.of(
                rule(NO_SYSTEM_USERNAME, "a username must not start with system: (Kubernetes' own names)"),
                rule(NO_SYSTEM_GROUPS, "a group must not start with system: (Kubernetes' own names)")));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("apiVersion", "apiserver.config.k8s.io/" + apiVersion);
        document.put("kind", "AuthenticationConfiguration");
        document.put("jwt", List.of(authenticator));
        return document;
    }

    /**
     * The legacy flags, for clusters before 1.30 or that keep them; they take one client only.
     *
     * @param caFile where the CA's PEM is put on the control-plane nodes (--oidc-ca-file takes a path)
     */
    public static List<String> legacyFlags(Trust trust, @Nullable String caFile) {
        if (trust.audiences().size() != 1) {
            throw new IllegalArgumentException("the --oidc-* flags take one client; for several, use the "
                    + "AuthenticationConfiguration (leave out --legacy-flags)");
        }
        ClaimNames claims = trust.claims();
        List<String> flags = new ArrayList<>();
        flags.add("--oidc-issuer-url=" + trust.issuer());
        flags.add("--oidc-client-id=" + trust.audiences().get(0));
        flags.add("--oidc-username-claim=" + claims.usernameClaim());
        // empty would mean "issuer#" for claims other than email; "-" is the flag's word for none
        flags.add("--oidc-username-prefix=" + (claims.usernamePrefix().isEmpty() ? "-" : claims.usernamePrefix()));
        flags.add("--oidc-groups-claim=" + claims.groupsClaim());
        if (!claims.groupsPrefix().isEmpty()) {
            flags.add("--oidc-groups-prefix=" + claims.groupsPrefix());
        }
        flags.add("--oidc-signing-algs=" + trust.signingAlg());
        if (trust.caPem() != null) {
            flags.add("--oidc-ca-file=" + caFile);
        }
        return flags;
    }

    private static Map<String, Object> prefixed(String claim, String prefix) {
        Map<String, Object> mapping = new LinkedHashMap<>();
        mapping.put("claim", claim);
        // required whenever claim is set; "" says no prefix
        mapping.put("prefix", prefix);
        return mapping;
    }

    private static Map<String, Object> rule(String expression, String message) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("expression", expression);
        rule.put("message", message);
        return rule;
    }
}

package io.lanyard.testing;

import com.nimbusds.jwt.JWTClaimsSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * kube-apiserver started with {@code --authentication-config}: one JWT authenticator's issuer checks
 * (as {@link KubeApiserverCheck}, trusting only its {@code certificateAuthority}), its claim mappings
 * (claim and prefix), and the validation rules it may hold, which must be Kubernetes' documented
 * expressions: this mimic evaluates those, and refuses any other instead of pretending to run CEL.
 */
public final class StructuredAuthn {
    private static final String EMAIL_VERIFIED = "claims.?email_verified.orValue(true) == true";
    private static final String NO_SYSTEM_USERNAME = "!user.username.startsWith('system:')";
    private static final String NO_SYSTEM_GROUPS = "user.groups.all(group, !group.startsWith('system:'))";

    private final Map<String, Object> authenticator;

    @SuppressWarnings("unchecked")
    public StructuredAuthn(Map<String, Object> authenticationConfiguration) {
        List<Object> jwt = (List<Object>) authenticationConfiguration.get("jwt");
        this.authenticator = (Map<String, Object>) jwt.get(0);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> at(String... path) {
        Map<String, Object> node = authenticator;
        for (String key : path) {
            node = (Map<String, Object>) node.get(key);
        }
        return node;
    }

    /** The user kube-apiserver makes of the id_token, or an AssertionError saying why it refuses it. */
    @SuppressWarnings("unchecked")
    public LegacyOidcFlags.KubeUser authenticate(String idToken, Path scratch) throws Exception {
        Map<String, Object> issuer = at("issuer");
        Path ca = Files.writeString(scratch.resolve("authn-ca.pem"), (String) issuer.get("certificateAuthority"));
        List<String> audiences = (List<String>) issuer.get("audiences");
        JWTClaimsSet claims = null;
        AssertionError last = null;
        for (String audience : audiences) {
            try {
                claims = new KubeApiserverCheck(LanyardServer.clientTrusting(ca), (String) issuer.get("url"), audience)
                        .verify(idToken);
                break;
            } catch (AssertionError e) {
                last = e;
            }
        }
        if (claims == null) {
            throw last;
        }
        for (Object rule : (List<Object>) authenticator.getOrDefault("claimValidationRules", List.of())) {
            String expression = (String) ((Map<String, Object>) rule).get("expression");
            if (!EMAIL_VERIFIED.equals(expression)) {
                throw new AssertionError("this mimic evaluates only documented expressions, not " + expression);
            }
            Object verified = claims.getClaim("email_verified");
            if (verified != null && !Boolean.TRUE.equals(verified)) {
                throw new AssertionError(((Map<String, Object>) rule).get("message"));
            }
        }
        Map<String, Object> username = at("claimMappings", "username");
        Map<String, Object> groups = at("claimMappings", "groups");
        String name = username.get("prefix") + claims.getStringClaim((String) username.get("claim"));
        List<String> groupNames = claims.getStringListClaim((String) groups.get("claim")).stream()
                .map(g -> groups.get("prefix") + g).toList();
        for (Object rule : (List<Object>) authenticator.getOrDefault("userValidationRules", List.of())) {
            String expression = (String) ((Map<String, Object>) rule).get("expression");
            boolean ok = switch (expression) {
                case NO_SYSTEM_USERNAME -> !name.startsWith("system:");
                case NO_SYSTEM_GROUPS -> groupNames.stream().noneMatch(g -> g.startsWith("system:"));
                default -> throw new AssertionError("this mimic evaluates only documented expressions, not " + expression);
            };
            if (!ok) {
                throw new AssertionError(((Map<String, Object>) rule).get("message"));
            }
        }
        return new LegacyOidcFlags.KubeUser(name, groupNames);
    }
}

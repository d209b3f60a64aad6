package io.lanyard.testing;

import com.nimbusds.jwt.JWTClaimsSet;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-apiserver started with a set of {@code --oidc-*} flags: the id_token checks of
 * {@link KubeApiserverCheck} over a client that trusts only {@code --oidc-ca-file}, then the user the
 * apiserver makes of the token (claims read and prefixed as the flags say).
 */
public final class LegacyOidcFlags {

    /** The authenticated user, as RBAC sees them. */
    public record KubeUser(String username, List<String> groups) {
    }

    private final Map<String, String> flags = new LinkedHashMap<>();

    public LegacyOidcFlags(List<String> flagList) {
        for (String flag : flagList) {
            if (!flag.startsWith("--oidc-") || !flag.contains("=")) {
                throw new AssertionError("not an --oidc-* flag with a value: " + flag);
            }
            String name = flag.substring(2, flag.indexOf('='));
            if (flags.put(name, flag.substring(flag.indexOf('=') + 1)) != null) {
                throw new AssertionError(name + " given twice");
            }
        }
        for (String required : List.of("oidc-issuer-url", "oidc-client-id")) {
            if (!flags.containsKey(required)) {
                throw new AssertionError("kube-apiserver needs --" + required);
            }
        }
        if (!flags.get("oidc-issuer-url").startsWith("https://")) {
            throw new AssertionError("kube-apiserver refuses an issuer that is not https");
        }
    }

    public String flag(String name) {
        return flags.get(name);
    }

    /** What kube-apiserver makes of the id_token: the user, or an AssertionError saying why not. */
    public KubeUser authenticate(String idToken, Path caFile) throws Exception {
        if (!"email".equals(flags.getOrDefault("oidc-username-claim", "sub"))
                || !"groups".equals(flags.get("oidc-groups-claim"))
                || !"RS256".equals(flags.getOrDefault("oidc-signing-algs", "RS256"))) {
            throw new AssertionError("this check mimics --oidc-username-claim=email --oidc-groups-claim=groups and "
                    + "RS256: " + flags);
        }
        JWTClaimsSet claims = new KubeApiserverCheck(LanyardServer.clientTrusting(caFile), flags.get("oidc-issuer-url"),
                flags.get("oidc-client-id")).verify(idToken);
        String prefix = flags.getOrDefault("oidc-username-prefix", "");
        String username = ("-".equals(prefix) ? "" : prefix) + claims.getStringClaim("email");
        String groupsPrefix = flags.getOrDefault("oidc-groups-prefix", "");
        return new KubeUser(username, claims.getStringListClaim("groups").stream().map(g -> groupsPrefix + g).toList());
    }
}

package io.lanyard.kube;

import io.lanyard.clients.Client;
import io.lanyard.oauth.GrantTypes;

import java.util.ArrayList;
import java.util.List;

/**
 * A Lanyard client as a cluster's login client: one people log in with (the code flow or the device
 * flow) whose id_tokens carry what the apiserver reads. What kubelogin must ask for beyond
 * {@code openid} follows from it.
 */
public final class LoginClient {
    /** What the client is for here. */
    public enum Use {
        /** Its id_tokens are accepted by the API server, whoever obtained them. */
        CLUSTER,
        /** kubelogin's browser login: the code flow to a loopback redirect. */
        KUBELOGIN_BROWSER,
        /** kubelogin's device flow. */
        KUBELOGIN_DEVICE
    }

    private LoginClient() {
    }

    /** Why the client cannot serve as the cluster's login client with these claims; empty when it can. */
    public static List<String> problems(Client client, ClaimNames claims, Use use) {
        List<String> problems = new ArrayList<>();
        boolean code = client.allowsGrant(GrantTypes.AUTHORIZATION_CODE);
        boolean device = client.allowsGrant(GrantTypes.DEVICE_CODE);
        if (use == Use.KUBELOGIN_DEVICE && !device) {
            problems.add("it has no device_code grant (urn:ietf:params:oauth:grant-type:device_code)");
        } else if (use == Use.KUBELOGIN_BROWSER && !code) {
            problems.add("it has no authorization_code grant (for a device-only client, add --grant device-code)");
        } else if (!code && !device) {
            problems.add("it has neither the authorization_code nor the device_code grant");
        }
        if (use != Use.CLUSTER && !client.publicClient()) {
            problems.add("it is a confidential client, and kubelogin would need its secret in every kubeconfig: "
                    + "use a public client (--public)");
        }
        if (use == Use.KUBELOGIN_BROWSER && client.redirectUris().stream().noneMatch(LoginClient::loopback)) {
            problems.add("it has no loopback redirect URI for kubelogin (http://localhost:8000)");
        }
        if (!client.scopes().contains("openid")) {
            problems.add("it may not ask for the openid scope, so it gets no id_token");
        }
        if ("email".equals(claims.usernameClaim()) && !client.scopes().contains("email")) {
            problems.add("the username claim is email, and it may not ask for the email scope");
        }
        if ("preferred_username".equals(claims.usernameClaim()) && !client.scopes().contains("profile")) {
            problems.add("the username claim is preferred_username, and it may not ask for the profile scope");
        }
        if (!client.scopes().contains("groups")) {
            problems.add("it may not ask for the groups scope, so its id_tokens carry no groups");
        }
        return problems;
    }

    private static boolean loopback(String uri) {
        return uri.startsWith("http://localhost:") || uri.startsWith("http://127.0.0.1:") || uri.startsWith("http://[::1]:");
    }

    /** The scopes kubelogin asks for besides openid: the claims' scopes, and offline_access when allowed. */
    public static List<String> extraScopes(Client client, ClaimNames claims) {
        List<String> scopes = new ArrayList<>();
        if ("email".equals(claims.usernameClaim())) {
            scopes.add("email");
        }
        if ("preferred_username".equals(claims.usernameClaim())) {
            scopes.add("profile");
        }
        scopes.add("groups");
        if (client.scopes().contains("offline_access") && client.allowsGrant(GrantTypes.REFRESH_TOKEN)) {
            scopes.add("offline_access");
        }
        return scopes;
    }
}

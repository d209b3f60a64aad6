package io.lanyard.admin;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientService;
import io.lanyard.config.LanyardProperties;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.IssuerUrl;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * On the very first start of a dev installation, a client to try Lanyard with. The bootstrap
 * marker's primary key lets exactly one replica create it and print its secret, once.
 */
@Singleton
public class DemoClient {
    static final String ID = "demo";
    static final String AUDIENCE = "demo-api";

    private final BootstrapMarkers markers;
    private final ClientService clients;
    private final LanyardProperties lanyard;

    public static final String KUBERNETES_ID = "kubernetes";

    public DemoClient(BootstrapMarkers markers, ClientService clients, LanyardProperties lanyard) {
        this.markers = markers;
        this.clients = clients;
        this.lanyard = lanyard;
    }

    public void createOnFirstStart() {
        if (!markers.claim("demo-client")) {
            return;
        }
        if (clients.find(ID).isPresent()) {
            return;
        }
        ClientService.WithSecret created = clients.create(Client.builder(ID)
                .name("Demo client")
                .grantTypes(Set.of(GrantTypes.CLIENT_CREDENTIALS))
                .scopes(Set.of("demo.read", "demo.write"))
                .defaultScopes(Set.of("demo.read"))
                .audiences(Set.of(AUDIENCE))
                .build(), true);
        String base = IssuerUrl.base(lanyard.issuer());
        // Printed to the console, not logged: this is the one time the secret is shown.
        System.out.println();
        System.out.println("  First start: created the demo client (shown once, keep it safe)");
        System.out.println("    client_id:     " + ID);
        System.out.println("    client_secret: " + created.secret());
        System.out.println("  Get a token:");
        System.out.println("    curl -s -u " + ID + ":" + created.secret() + " -d grant_type=client_credentials "
                + base + "/token");
        System.out.println();
        createKubernetesClient(base);
    }

    /** A public client shaped for kubelogin, so `kubectl oidc-login` works against a dev server at once. */
    private void createKubernetesClient(String base) {
        if (clients.find(KUBERNETES_ID).isPresent()) {
            return;
        }
        clients.create(Client.builder(KUBERNETES_ID)
                .name("Kubernetes (kubectl oidc-login)")
                .grantTypes(Set.of(GrantTypes.AUTHORIZATION_CODE, GrantTypes.REFRESH_TOKEN))
                .scopes(Set.of("openid", "profile", "email", "groups", "offline_access"))
                .defaultScopes(Set.of("openid"))
                .redirectUris(Set.of("http://localhost:8000", "http://localhost:18000"))
                .publicClient(true)
                .build(), false);
        System.out.println("  Created the public client '" + KUBERNETES_ID + "' for kubectl oidc-login. Wire a cluster to it:");
        if (!base.startsWith("https://")) {
            // kube-apiserver refuses http issuers: printing a login line for this one would only fail later
            System.out.println("    (kube-apiserver accepts only an https issuer: serve Lanyard over HTTPS and set "
                    + "LANYARD_ISSUER, e.g. with ./lanyard tls dev-ca)");
        }
        System.out.println("    ./lanyard kube apiserver-config --client " + KUBERNETES_ID
                + "            # kube-apiserver's AuthenticationConfiguration");
        System.out.println("    ./lanyard kube kubeconfig --client " + KUBERNETES_ID
                + " --server https://<api-server>:6443   # for each person");
        System.out.println("    ./lanyard kube rbac --group <group> --namespace <namespace> --cluster-role edit");
        System.out.println();
    }
}

package io.lanyard.admin;

import io.lanyard.LanyardProperties;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientService;
import io.lanyard.support.Database;
import io.lanyard.support.StorageException;
import io.lanyard.token.GrantTypes;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * On the very first start of a dev installation, a client to try Lanyard with. The bootstrap
 * marker's primary key lets exactly one replica create it and print its secret, once.
 */
@Singleton
public class DemoClient {
    static final String ID = "demo";
    static final String AUDIENCE = "demo-api";

    private final Database database;
    private final ClientService clients;
    private final LanyardProperties lanyard;
    private final Clock clock;

    public static final String KUBERNETES_ID = "kubernetes";

    public DemoClient(Database database, ClientService clients, LanyardProperties lanyard, Clock clock) {
        this.database = database;
        this.clients = clients;
        this.lanyard = lanyard;
        this.clock = clock;
    }

    public void createOnFirstStart() {
        try {
            database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO bootstrap_markers (name, created_at) VALUES ('demo-client', ?)")) {
                    ps.setObject(1, clock.instant().atOffset(ZoneOffset.UTC));
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (StorageException e) {
            if (e.isUniqueViolation()) {
                return;
            }
            throw e;
        }
        if (clients.find(ID).isPresent()) {
            return;
        }
        ClientService.WithSecret created = clients.create(new Client(ID, "Demo client",
                null, Set.of(GrantTypes.CLIENT_CREDENTIALS), Set.of("demo.read", "demo.write"), Set.of("demo.read"),
                Set.of(AUDIENCE), null, null, Client.SOURCE_CLI), true);
        String base = lanyard.issuer().endsWith("/") ? lanyard.issuer().substring(0, lanyard.issuer().length() - 1)
                : lanyard.issuer();
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
        clients.create(new Client(KUBERNETES_ID, "Kubernetes (kubectl oidc-login)", null,
                Set.of(GrantTypes.AUTHORIZATION_CODE, GrantTypes.REFRESH_TOKEN),
                Set.of("openid", "profile", "email", "groups", "offline_access"), Set.of("openid"), Set.of(), null, null,
                Client.SOURCE_CLI, Set.of("http://localhost:8000", "http://localhost:18000"), Set.of(), true, null), false);
        System.out.println("  Created the public client '" + KUBERNETES_ID + "' for kubectl oidc-login:");
        System.out.println("    kubectl oidc-login get-token --oidc-issuer-url=" + base + " --oidc-client-id="
                + KUBERNETES_ID + " --oidc-extra-scope=email,groups,offline_access");
        System.out.println();
    }
}

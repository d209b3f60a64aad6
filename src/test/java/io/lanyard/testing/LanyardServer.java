package io.lanyard.testing;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientService;
import io.lanyard.users.Group;
import io.lanyard.users.GroupService;
import io.lanyard.users.User;
import io.lanyard.users.UserService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A real Lanyard server on a random loopback port, and an HTTP client to talk to it. */
public final class LanyardServer implements AutoCloseable {
    public static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ApplicationContext context;
    private final String baseUrl;

    private LanyardServer(ApplicationContext context, String baseUrl) {
        this.context = context;
        this.baseUrl = baseUrl;
    }

    /** Properties every test server shares: loopback, a fresh KEK, short refresh intervals. */
    public static Map<String, Object> defaults(Map<String, Object> database) {
        Map<String, Object> props = new HashMap<>(database);
        int port = freePort();
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        props.put("micronaut.server.port", port);
        props.put("lanyard.management.port", freePort());
        props.put("micronaut.server.host", "127.0.0.1");
        props.put("lanyard.issuer", "http://127.0.0.1:" + port);
        props.put("lanyard.kek", Base64.getEncoder().encodeToString(kek));
        props.put("lanyard.data-dir", tempDir().toString());
        props.put("lanyard.cache.refresh-interval", "1s");
        props.put("lanyard.profile", "dev");
        return props;
    }

    public static LanyardServer start(Map<String, Object> properties) {
        ApplicationContext context = ApplicationContext.builder()
                .properties(properties)
                .environments("test")
                .deduceEnvironment(false)
                .start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        server.start();
        return new LanyardServer(context, server.getScheme() + "://127.0.0.1:" + server.getPort());
    }

    /**
     * A second replica of {@code first}'s installation: the same database and KEK, its own port,
     * pool, caches and schedules. {@code extra} adds properties (a mutable clock, say).
     */
    public static LanyardServer replicaOf(Map<String, Object> firstProperties, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(defaults(Map.of()));
        for (Map.Entry<String, Object> entry : firstProperties.entrySet()) {
            if (entry.getKey().startsWith("datasources.") || entry.getKey().equals("lanyard.kek")) {
                props.put(entry.getKey(), entry.getValue());
            }
        }
        props.putAll(extra);
        return start(props);
    }

    public static LanyardServer startOn(TestDatabases.Kind kind) {
        return start(defaults(TestDatabases.fresh(kind)));
    }

    public ApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public String url(String path) {
        return baseUrl + path;
    }

    public String issuer() {
        return context.getProperty("lanyard.issuer", String.class).orElseThrow();
    }

    /** Creates a client-credentials client and makes this server see it at once; returns its secret. */
    public String createClient(String id, Set<String> scopes, Set<String> defaultScopes, Set<String> audiences,
                               String signingAlg) {
        ClientService.WithSecret created = bean(ClientService.class).create(Client.builder(id)
                .grantTypes(Set.of("client_credentials"))
                .scopes(scopes)
                .defaultScopes(defaultScopes)
                .audiences(audiences)
                .tokenSigningAlg(signingAlg)
                .build(), true);
        bean(io.lanyard.clients.ClientRegistry.class).reload();
        return created.secret();
    }

    /** Creates (or reuses) the groups and a user in them; returns the user's id, the tokens' sub. */
    public String createUser(String username, String password, String email, String... groups) {
        GroupService groupService = bean(GroupService.class);
        for (String group : groups) {
            if (groupService.find(group).isEmpty()) {
                groupService.create(new Group(group, null, "cli"));
            }
        }
        return bean(UserService.class).create(new User(null, username, email, true, username + " Example", false),
                password, List.of(groups)).user().id();
    }

    /** A kubelogin-shaped public client: PKCE, no secret, refresh tokens. */
    public void createPublicClient(String id, String... redirectUris) {
        bean(ClientService.class).create(Client.builder(id)
                .name("Public " + id)
                .grantTypes(Set.of("authorization_code", "refresh_token"))
                .scopes(Set.of("openid", "profile", "email", "groups", "offline_access"))
                .defaultScopes(Set.of("openid"))
                .redirectUris(Set.of(redirectUris))
                .postLogoutRedirectUris(Set.of(redirectUris))
                .publicClient(true)
                .build(), false);
        bean(io.lanyard.clients.ClientRegistry.class).reload();
    }

    /** A kubelogin-shaped public client for headless logins: the device grant and refresh tokens. */
    public void createDeviceClient(String id) {
        bean(ClientService.class).create(Client.builder(id)
                .name("Device " + id)
                .grantTypes(Set.of("urn:ietf:params:oauth:grant-type:device_code", "refresh_token"))
                .scopes(Set.of("openid", "profile", "email", "groups", "offline_access"))
                .defaultScopes(Set.of("openid"))
                .publicClient(true)
                .build(), false);
        bean(io.lanyard.clients.ClientRegistry.class).reload();
    }

    /** A confidential web client using the code flow; returns its secret. */
    public String createWebClient(String id, String... redirectUris) {
        ClientService.WithSecret created = bean(ClientService.class).create(Client.builder(id)
                .name("Web " + id)
                .grantTypes(Set.of("authorization_code", "refresh_token"))
                .scopes(Set.of("openid", "profile", "email", "groups", "offline_access"))
                .defaultScopes(Set.of("openid"))
                .redirectUris(Set.of(redirectUris))
                .postLogoutRedirectUris(Set.of(redirectUris))
                .build(), true);
        bean(io.lanyard.clients.ClientRegistry.class).reload();
        return created.secret();
    }

    /** The management port's URL of {@code path}: health and metrics are served there only. */
    public String managementUrl(String path) {
        return "http://127.0.0.1:" + context.getProperty("lanyard.management.port", Integer.class).orElseThrow() + path;
    }

    /** GET on the management port (health, metrics). */
    public HttpResponse<String> management(String path) {
        return send(HttpRequest.newBuilder(URI.create(managementUrl(path))).GET().build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
    }

    public HttpResponse<String> postForm(String path, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.setHeader(headers[i], headers[i + 1]);
        }
        return send(builder.build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes());
    }

    @Override
    public void close() {
        context.close();
    }

    /**
     * Makes {@code props} (from {@link #defaults}) serve HTTPS only, with the given PEM files, on the
     * port defaults chose; the issuer becomes {@code https://issuerHost:port}. Reach the server with
     * {@link #httpsUrl} and a client from {@link #clientTrusting}.
     */
    public static Map<String, Object> withTls(Map<String, Object> props, Path certFile, Path keyFile, String issuerHost) {
        Object port = props.get("micronaut.server.port");
        props.put("lanyard.tls.cert-file", certFile.toString());
        props.put("lanyard.tls.key-file", keyFile.toString());
        props.put("micronaut.server.ssl.port", port);
        props.put("lanyard.issuer", "https://" + issuerHost + ":" + port);
        return props;
    }

    /** {@code path} on this server addressed by {@code host} (a name or IP the certificate must hold), over HTTPS. */
    public String httpsUrl(String host, String path) {
        return "https://" + host + ":" + context.getBean(EmbeddedServer.class).getPort() + path;
    }

    /** A client that trusts only the certificates in the PEM file, verifying chain and host name as usual. */
    public static HttpClient clientTrusting(Path caPem) {
        return HttpClient.newBuilder().sslContext(sslTrusting(caPem)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** TLS that trusts only the certificates in the PEM file. */
    public static SSLContext sslTrusting(Path caPem) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (var in = Files.newInputStream(caPem)) {
                int i = 0;
                for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trusted.setCertificateEntry("ca" + i++, ca);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("lanyard-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

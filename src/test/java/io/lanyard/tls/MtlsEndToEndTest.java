package io.lanyard.tls;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import io.lanyard.admin.ConfigFileParser;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.clients.ClientService;
import io.lanyard.clients.ClientValidator;
import io.lanyard.clients.MutualTls;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 8705 over a real HTTPS listener (server certificate from {@code tls dev-ca}): clients
 * authenticate with a CA-issued or a self-signed certificate, and their access tokens are bound to it.
 */
class MtlsEndToEndTest {
    private static final String DN = "CN=payments,O=Example Corp";

    @TempDir
    static Path dir;
    static LanyardServer server;
    static Path serverCa;
    static X509Certificate clientCa;
    static PrivateKey clientCaKey;
    static Issued payments;
    static Issued selfSigned;
    static Issued otherSelfSigned;
    static Issued untrusted;
    static String secret;
    static Map<String, Object> props;

    record Issued(X509Certificate certificate, PrivateKey key) {
    }

    @BeforeAll
    static void start() throws Exception {
        DevCaRun.ok(dir, "--host", "localhost", "--host", "127.0.0.1");
        serverCa = dir.resolve("ca.pem");
        Instant now = Instant.now();
        KeyPair caKeys = Certificates.newKeyPair(Certificates.KeyType.EC);
        clientCa = Certificates.ca(caKeys, "Test Client CA", now.minusSeconds(60), now.plus(Duration.ofDays(1)));
        clientCaKey = caKeys.getPrivate();
        Files.writeString(dir.resolve("client-ca.pem"), PemFiles.encode(clientCa));
        payments = issue(clientCa, clientCaKey, DN);
        KeyPair otherCaKeys = Certificates.newKeyPair(Certificates.KeyType.EC);
        X509Certificate otherCa = Certificates.ca(otherCaKeys, "Untrusted CA", now.minusSeconds(60), now.plus(Duration.ofDays(1)));
        untrusted = issue(otherCa, otherCaKeys.getPrivate(), DN);
        selfSigned = issue(null, null, "CN=robot");
        otherSelfSigned = issue(null, null, "CN=robot");

        props = LanyardServer.withTls(LanyardServer.defaults(TestDatabases.freshH2()),
                dir.resolve("server.pem"), dir.resolve("server-key.pem"), "localhost");
        props.put("lanyard.tls.client-ca-file", dir.resolve("client-ca.pem").toString());
        props.put("micronaut.server.ssl.client-authentication", "want");
        // a cluster's kube-apiserver calling the TokenReview webhook with its client certificate
        props.put("lanyard.token-review.clients", "payments,robot");
        server = LanyardServer.start(props);

        ClientService clients = server.bean(ClientService.class);
        clients.create(mtlsClient("payments", new MutualTls(MutualTls.TLS_CLIENT_AUTH, DN, null, null, null, true)), false);
        clients.create(mtlsClient("by-dns", new MutualTls(MutualTls.TLS_CLIENT_AUTH, null, "payments.example.com",
                null, null, false)), false);
        clients.create(mtlsClient("wrong-dn", new MutualTls(MutualTls.TLS_CLIENT_AUTH, "CN=billing,O=Example Corp",
                null, null, null, false)), false);
        clients.create(mtlsClient("robot", new MutualTls(MutualTls.SELF_SIGNED_TLS_CLIENT_AUTH, null, null, null,
                MutualTls.thumbprint(selfSigned.certificate()), true)), false);
        server.bean(ClientRegistry.class).reload();
        secret = server.createClient("with-secret", Set.of("api"), Set.of(), Set.of("https://api.example.com"), null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Client mtlsClient(String id, MutualTls tls) {
        return Client.builder(id)
                .grantTypes(Set.of("client_credentials"))
                .scopes(Set.of("api"))
                .audiences(Set.of("https://api.example.com"))
                .mutualTls(tls)
                .build();
    }

    /** A client certificate signed by {@code ca}, or self-signed when {@code ca} is null. */
    static Issued issue(X509Certificate ca, PrivateKey caKey, String subject) throws Exception {
        KeyPair keys = Certificates.newKeyPair(Certificates.KeyType.EC);
        Instant now = Instant.now();
        X500Principal name = new X500Principal(subject);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                ca == null ? name : ca.getSubjectX500Principal(), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "payments.example.com")));
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(ca == null ? keys.getPrivate() : caKey);
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        return new Issued(certificate, keys.getPrivate());
    }

    /** Trusts the server's dev CA and presents {@code client}'s certificate, if any. */
    static HttpClient presenting(Issued client, X509Certificate... above) throws Exception {
        if (client == null) {
            return LanyardServer.clientTrusting(serverCa);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", client.key(), "pw".toCharArray(), chain(client.certificate(), above));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "pw".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", PemFiles.certificates(serverCa, "ca").get(0));
        trust.init(anchors);
        ssl.init(factory.getKeyManagers(), trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @org.junit.jupiter.api.Test
    void theTokenReviewWebhookKnowsAClusterByItsClientCertificate() throws Exception {
        String review = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                + "\"spec\":{\"token\":\"not-a-token\"}}";
        java.util.function.BiFunction<Issued, X509Certificate[], Integer> call = (client, above) -> {
            try {
                return presenting(client, above).send(HttpRequest.newBuilder(URI.create(server.httpsUrl("localhost",
                        "/tokenreview"))).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        // tls_client_auth chained to the client CA, and a registered self-signed certificate: the cluster
        assertEquals(200, call.apply(payments, new X509Certificate[0]));
        assertEquals(200, call.apply(selfSigned, new X509Certificate[0]));
        // no certificate, the same name from another CA, another self-signed key: nobody
        assertEquals(401, call.apply(null, new X509Certificate[0]));
        assertEquals(401, call.apply(untrusted, new X509Certificate[0]));
        assertEquals(401, call.apply(otherSelfSigned, new X509Certificate[0]));
    }

    static Certificate[] chain(X509Certificate leaf, X509Certificate... above) {
        Certificate[] chain = new Certificate[above.length + 1];
        chain[0] = leaf;
        System.arraycopy(above, 0, chain, 1, above.length);
        return chain;
    }

    static HttpResponse<String> token(Issued client, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.httpsUrl("localhost", "/token")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return presenting(client).send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The access token's claims, after checking its signature against the server's JWKS. */
    static Map<String, Object> verified(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        SignedJWT jwt = SignedJWT.parse((String) JSONObjectUtils.parse(response.body()).get("access_token"));
        HttpResponse<String> jwks = presenting(null).send(HttpRequest.newBuilder(
                URI.create(server.httpsUrl("localhost", "/jwks"))).build(), HttpResponse.BodyHandlers.ofString());
        var key = JWKSet.parse(jwks.body()).getKeyByKeyId(jwt.getHeader().getKeyID());
        JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(),
                key.getKeyType().getValue().equals("RSA") ? key.toRSAKey().toPublicKey() : key.toECKey().toPublicKey());
        assertTrue(jwt.verify(verifier), "signed by a key in the JWKS");
        return jwt.getJWTClaimsSet().toJSONObject();
    }

    static void assertInvalidClient(HttpResponse<String> response) throws Exception {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("invalid_client", JSONObjectUtils.parse(response.body()).get("error"));
    }

    @Test
    void tlsClientAuthIssuesACertificateBoundToken() throws Exception {
        Map<String, Object> claims = verified(token(payments, "grant_type=client_credentials&client_id=payments"));
        assertEquals("payments", claims.get("client_id"));
        @SuppressWarnings("unchecked")
        Map<String, Object> cnf = (Map<String, Object>) claims.get("cnf");
        assertEquals(MutualTls.thumbprint(payments.certificate()), cnf.get("x5t#S256"));
    }

    @Test
    void aClientThatSendsItsCaAlongStillAuthenticates() throws Exception {
        HttpResponse<String> response = presenting(payments, clientCa).send(HttpRequest.newBuilder(
                        URI.create(server.httpsUrl("localhost", "/token")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=payments")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("payments", verified(response).get("client_id"));
    }

    @Test
    void tlsClientAuthBySanDnsNameWithoutBinding() throws Exception {
        Map<String, Object> claims = verified(token(payments, "grant_type=client_credentials&client_id=by-dns"));
        assertNull(claims.get("cnf"), "the client did not ask for bound tokens");
    }

    @Test
    void wrongSubjectDnIsRefused() throws Exception {
        assertInvalidClient(token(payments, "grant_type=client_credentials&client_id=wrong-dn"));
    }

    @Test
    void certificateFromAnUntrustedCaIsRefused() throws Exception {
        // same subject DN and SAN as the trusted one: only the chain differs
        assertInvalidClient(token(untrusted, "grant_type=client_credentials&client_id=payments"));
        assertInvalidClient(token(untrusted, "grant_type=client_credentials&client_id=by-dns"));
    }

    @Test
    void selfSignedClientWithItsRegisteredCertificate() throws Exception {
        Map<String, Object> claims = verified(token(selfSigned, "grant_type=client_credentials&client_id=robot"));
        @SuppressWarnings("unchecked")
        Map<String, Object> cnf = (Map<String, Object>) claims.get("cnf");
        assertEquals(MutualTls.thumbprint(selfSigned.certificate()), cnf.get("x5t#S256"));
    }

    @Test
    void selfSignedClientWithAnotherCertificateIsRefused() throws Exception {
        assertInvalidClient(token(otherSelfSigned, "grant_type=client_credentials&client_id=robot"));
        // a CA-issued certificate is not the registered one either
        assertInvalidClient(token(payments, "grant_type=client_credentials&client_id=robot"));
    }

    @Test
    void noCertificateIsRefused() throws Exception {
        assertInvalidClient(token(null, "grant_type=client_credentials&client_id=payments"));
        assertInvalidClient(token(null, "grant_type=client_credentials&client_id=robot"));
    }

    @Test
    void aSecretDoesNotAuthenticateAnMtlsClient() throws Exception {
        assertInvalidClient(token(payments, "grant_type=client_credentials&client_id=payments&client_secret=" + secret));
    }

    @Test
    void secretClientsWorkWithAndWithoutACertificate() throws Exception {
        for (Issued presented : new Issued[]{null, payments}) {
            Map<String, Object> claims = verified(token(presented, "grant_type=client_credentials",
                    "Authorization", LanyardServer.basic("with-secret", secret)));
            assertEquals("with-secret", claims.get("client_id"));
            assertNull(claims.get("cnf"));
        }
    }

    @Test
    void discoveryNamesTheMethodsAndBinding() throws Exception {
        HttpResponse<String> response = presenting(null).send(HttpRequest.newBuilder(
                URI.create(server.httpsUrl("localhost", "/.well-known/oauth-authorization-server"))).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> metadata = JSONObjectUtils.parse(response.body());
        List<?> methods = (List<?>) metadata.get("token_endpoint_auth_methods_supported");
        assertTrue(methods.containsAll(List.of("tls_client_auth", "self_signed_tls_client_auth", "client_secret_basic")),
                methods.toString());
        assertEquals(true, metadata.get("tls_client_certificate_bound_access_tokens"));
    }

    @Test
    void clientsCreatedWithTheCliAuthenticateWithTheirCertificates() throws Exception {
        Path pem = Files.writeString(dir.resolve("robot.pem"), PemFiles.encode(selfSigned.certificate()));
        assertEquals(0, cli("clients", "create", "cli-payments", "--scope", "api", "--audience",
                "https://api.example.com", "--tls-client-auth-subject-dn", DN, "--tls-bound-tokens"));
        assertEquals(0, cli("clients", "create", "cli-robot", "--scope", "api", "--audience",
                "https://api.example.com", "--tls-client-certificate", pem.toString()));
        server.bean(ClientRegistry.class).reload();

        Map<String, Object> claims = verified(token(payments, "grant_type=client_credentials&client_id=cli-payments"));
        @SuppressWarnings("unchecked")
        Map<String, Object> cnf = (Map<String, Object>) claims.get("cnf");
        assertEquals(MutualTls.thumbprint(payments.certificate()), cnf.get("x5t#S256"));
        assertNull(verified(token(selfSigned, "grant_type=client_credentials&client_id=cli-robot")).get("cnf"));
        assertInvalidClient(token(otherSelfSigned, "grant_type=client_credentials&client_id=cli-robot"));
    }

    /** The command line in this JVM, on the server's (in-memory H2) database. */
    static int cli(String... args) {
        props.forEach((k, v) -> System.setProperty(k, String.valueOf(v)));
        try {
            return io.lanyard.cli.LanyardCommand.commandLine().execute(args);
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void declarativeFileRegistersASelfSignedCertificateAsPem() {
        String pem = PemFiles.encode(selfSigned.certificate()).strip().replace("\n", "\n      ");
        String yaml = """
                clients:
                  - id: robot2
                    grantTypes: [client_credentials]
                    tokenEndpointAuthMethod: self_signed_tls_client_auth
                    tlsClientCertificateBoundAccessTokens: true
                    tlsClientCertificate: |
                      %s
                  - id: payments2
                    grantTypes: [client_credentials]
                    tokenEndpointAuthMethod: tls_client_auth
                    tlsClientAuthSubjectDn: "O=Example Corp, CN=payments"
                """.formatted(pem);
        ConfigFileParser parser = new ConfigFileParser(server.bean(ClientValidator.class));
        List<Client> parsed = parser.parse("lanyard.yaml", yaml).clients();
        MutualTls robot = parsed.get(0).mutualTls();
        assertEquals(MutualTls.thumbprint(selfSigned.certificate()), robot.certificateX5t());
        assertTrue(robot.boundAccessTokens());
        assertTrue(robot.matches(selfSigned.certificate()));
        assertFalse(robot.matches(otherSelfSigned.certificate()));
        assertEquals(MutualTls.TLS_CLIENT_AUTH, parsed.get(1).mutualTls().method());

        String twoNames = """
                clients:
                  - id: bad
                    grantTypes: [client_credentials]
                    tokenEndpointAuthMethod: tls_client_auth
                    tlsClientAuthSubjectDn: "CN=a"
                    tlsClientAuthSanDns: a.example.com
                """;
        assertThrows(RuntimeException.class, () -> parser.parse("lanyard.yaml", twoNames));

        // the same PEM rules as `clients create --tls-client-certificate` (ClientCertificates)
        String withKey = """
                clients:
                  - id: leaky
                    grantTypes: [client_credentials]
                    tokenEndpointAuthMethod: self_signed_tls_client_auth
                    tlsClientCertificate: |
                      %s
                """.formatted((PemFiles.encode(selfSigned.certificate()) + PemFiles.encode(selfSigned.key())).strip().replace("\n", "\n      "));
        RuntimeException leaky = assertThrows(RuntimeException.class, () -> parser.parse("lanyard.yaml", withKey));
        assertTrue(leaky.getMessage().contains("clients[0].tlsClientCertificate: holds a private key"), leaky.getMessage());
    }
}

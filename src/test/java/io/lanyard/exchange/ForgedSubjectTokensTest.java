package io.lanyard.exchange;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.clients.ClientService;
import io.lanyard.jwt.ClaimsWriter;
import io.lanyard.jwt.TokenKind;
import io.lanyard.jwt.TokenMinter;
import io.lanyard.storage.Database;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Subject tokens that claim to be Lanyard's own but are not, each presented at the token
 * exchange by a client whose policy would accept the genuine article. Every one must be an
 * invalid_grant (never a 500, never a token), and the genuine tokens, RS256 and ES256, still pass.
 */
class ForgedSubjectTokensTest {
    private static LanyardServer server;
    private static String secret;
    private static String rsaToken;
    private static String ecToken;
    private static String rsaKid;

    @BeforeAll
    static void start() throws Exception {
        server = LanyardServer.startOn(TestDatabases.Kind.H2);
        ClientService clients = server.bean(ClientService.class);
        Set<String> cc = Set.of("client_credentials");
        String rsaSecret = clients.create(Client.builder("rsa-caller")
                .name("RS256 caller")
                .grantTypes(cc)
                .scopes(Set.of("read"))
                .defaultScopes(Set.of("read"))
                .audiences(Set.of("share"))
                .tokenSigningAlg("RS256")
                .build(), true).secret();
        Client rsaCaller = clients.find("rsa-caller").orElseThrow();
        String ecSecret = clients.create(rsaCaller.toBuilder().clientId("ec-caller").name("ES256 caller")
                .tokenSigningAlg("ES256").build(), true).secret();
        secret = clients.create(Client.builder("share")
                .name("Share service")
                .grantTypes(Set.of("urn:ietf:params:oauth:grant-type:token-exchange"))
                .audiences(Set.of("share"))
                .build(), true).secret();
        server.bean(Database.class).inTransaction(c -> ExchangePolicyStore.replaceFromConfig(c, List.of(
                new ExchangePolicy("share", Set.of("todo"), Set.of("read"), true, Set.of("self"), "config"))));
        server.bean(ClientRegistry.class).reload();
        rsaToken = token("rsa-caller", rsaSecret);
        ecToken = token("ec-caller", ecSecret);
        JWKSet published = JWKSet.parse(server.get("/jwks").body());
        rsaKid = published.getKeys().stream().filter(k -> k.getKeyType() == KeyType.RSA).findFirst().orElseThrow().getKeyID();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String token(String client, String clientSecret) throws Exception {
        HttpResponse<String> response = server.postForm("/token", "grant_type=client_credentials",
                "Authorization", LanyardServer.basic(client, clientSecret));
        assertEquals(200, response.statusCode(), response.body());
        return (String) JSONObjectUtils.parse(response.body()).get("access_token");
    }

    private static HttpResponse<String> exchange(String subject) {
        return server.postForm("/token", "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token=" + enc(subject) + "&subject_token_type="
                + enc("urn:ietf:params:oauth:token-type:access_token") + "&audience=todo",
                "Authorization", LanyardServer.basic("share", secret));
    }

    private static void refused(String subject, String why) throws Exception {
        HttpResponse<String> response = exchange(subject);
        assertEquals(400, response.statusCode(), why + ": " + response.body());
        assertEquals("invalid_grant", JSONObjectUtils.parse(response.body()).get("error"), why);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String[] parts(String token) {
        return token.split("\\.");
    }

    @Test
    void genuineTokensOfBothAlgorithmsAreExchanged() {
        assertEquals(200, exchange(rsaToken).statusCode(), "RS256");
        assertEquals(200, exchange(ecToken).statusCode(), "ES256");
    }

    @Test
    void aTamperedPayloadIsRefused() throws Exception {
        String[] p = parts(rsaToken);
        String payload = new String(Base64URL.from(p[1]).decode(), StandardCharsets.UTF_8).replace("\"read\"", "\"admin\"");
        refused(p[0] + "." + Base64URL.encode(payload) + "." + p[2], "payload changed after signing");
        String[] e = parts(ecToken);
        refused(e[0] + "." + Base64URL.encode(payload) + "." + e[2], "ES256 signature over another payload");
    }

    @Test
    void algorithmsAndKeysTheHeaderChoosesAreRefused() throws Exception {
        String payload = new String(Base64URL.from(parts(rsaToken)[1]).decode(), StandardCharsets.UTF_8);
        String none = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"" + rsaKid + "\",\"typ\":\"at+jwt\"}").toString();
        refused(none + "." + parts(rsaToken)[1] + ".", "alg none");

        JWK published = JWKSet.parse(server.get("/jwks").body()).getKeyByKeyId(rsaKid);
        JWSObject hs = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsaKid).type(TokenKind.ACCESS_TOKEN.typ())
                .build(), new Payload(payload));
        hs.sign(new MACSigner(published.toJSONString().getBytes(StandardCharsets.UTF_8)));
        refused(hs.serialize(), "HS256 keyed with the published RSA key");

        RSAKey attacker = new RSAKeyGenerator(2048).keyID(rsaKid).generate();
        JWSObject other = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsaKid)
                .type(TokenKind.ACCESS_TOKEN.typ()).build(), new Payload(payload));
        other.sign(new RSASSASigner(attacker));
        refused(other.serialize(), "our kid, another key");

        JWSObject embedded = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).jwk(attacker.toPublicJWK())
                .type(TokenKind.ACCESS_TOKEN.typ()).build(), new Payload(payload));
        embedded.sign(new RSASSASigner(attacker));
        refused(embedded.serialize(), "a key carried in the header");

        String es = Base64URL.encode("{\"alg\":\"ES256\",\"kid\":\"" + rsaKid + "\",\"typ\":\"at+jwt\"}").toString();
        refused(es + "." + parts(rsaToken)[1] + "." + parts(ecToken)[2], "an ES256 header on the RSA key's kid");
    }

    @Test
    void aTokenOfAnotherTypeIsRefused() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String plainJwt = server.bean(TokenMinter.class).sign(JWSAlgorithm.RS256, TokenKind.ID_TOKEN, new ClaimsWriter()
                .string("iss", server.issuer()).string("sub", "rsa-caller").string("client_id", "rsa-caller")
                .string("aud", "share").string("scope", "read").number("iat", now).number("exp", now + 300).toJson());
        refused(plainJwt, "typ JWT presented as an access token");
    }

    @Test
    void malformedTokensAreRefusedNotFailed() throws Exception {
        String[] p = parts(rsaToken);
        refused(p[0] + "." + p[1], "two segments");
        refused(rsaToken + ".AAAA", "four segments");
        refused(p[0] + "." + p[1] + "." + p[2] + "." + p[2] + "." + p[2], "JWE-shaped");
        refused(p[0] + "." + p[1] + ".!!!", "signature not base64url");
        refused("%%%." + p[1] + "." + p[2], "header not base64url");
        refused(Base64URL.encode("not json") + "." + p[1] + "." + p[2], "header not JSON");
        refused(p[0] + "." + Base64URL.encode("not json") + "." + p[2], "payload not JSON");
        String[] e = parts(ecToken);
        refused(e[0] + "." + e[1] + "." + e[2].substring(0, 40), "ES256 signature of the wrong length");
        assertEquals("invalid_request", JSONObjectUtils.parse(exchange("").body()).get("error"), "an empty token is a missing one");
    }

    @Test
    void manyHeaderVariantsDoNotStopGenuineTokens() throws Exception {
        String[] p = parts(rsaToken);
        for (int i = 0; i < 300; i++) {
            String header = Base64URL.encode("{\"alg\":\"RS256\",\"kid\":\"" + rsaKid + "\",\"typ\":\"at+jwt\""
                    + " ".repeat(i) + "}").toString();
            assertEquals(400, exchange(header + "." + p[1] + "." + p[2]).statusCode(), "variant " + i);
        }
        assertEquals(200, exchange(rsaToken).statusCode());
        assertEquals(200, exchange(ecToken).statusCode());
    }
}

package io.lanyard.jwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.clients.ClientService;
import io.lanyard.exchange.ExchangePolicy;
import io.lanyard.exchange.ExchangePolicyStore;
import io.lanyard.oauth.TokenTypes;
import io.lanyard.storage.Database;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import io.lanyard.token.AuthorizationCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every kind of token Lanyard hands out (access token, id_token, a token exchange's plain JWT, a
 * client's own assertion, a refresh token) presented in every place that accepts a token: each place
 * takes its own kind and refuses all the others (RFC 8725 section 3.11).
 */
class TokenKindsTest {
    private static final String REDIRECT = "http://localhost:8000";
    private static LanyardServer server;
    private static String apiSecret;
    /** Kind name to a genuine token of that kind. */
    private static final Map<String, String> TOKENS = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        server = LanyardServer.startOn(TestDatabases.Kind.H2);
        String userId = server.createUser("ivy", "ivy's long password", "ivy@example.com", "readers");
        ClientService clients = server.bean(ClientService.class);
        apiSecret = clients.create(Client.builder("api")
                .grantTypes(Set.of("authorization_code", "refresh_token", "client_credentials",
                        "urn:ietf:params:oauth:grant-type:token-exchange"))
                .scopes(Set.of("openid", "offline_access", "todo.read"))
                .redirectUris(Set.of(REDIRECT))
                .build(), true).secret();
        RSAKey signerKey = new RSAKeyGenerator(2048).keyID("signer-1").generate();
        clients.create(Client.builder("signer")
                .grantTypes(Set.of("client_credentials"))
                .audiences(Set.of("todo"))
                .jwks(new JWKSet(signerKey.toPublicJWK()).toString())
                .build(), false);
        server.bean(Database.class).inTransaction(c -> ExchangePolicyStore.replaceFromConfig(c, List.of(
                new ExchangePolicy("api", Set.of("todo"), Set.of("todo.read"), true, Set.of("self"), "config"))));
        server.bean(ClientRegistry.class).reload();

        Pkce pkce = Pkce.create();
        String code = server.bean(AuthorizationCodes.class).issue(new AuthorizationCodes.Approval("api", userId,
                REDIRECT, Set.of("openid", "offline_access", "todo.read"), null, pkce.challenge(), Instant.now()));
        Map<String, Object> login = ok(server.postForm("/token", "grant_type=authorization_code&code=" + code
                + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier=" + pkce.verifier(), "Authorization", basic()));
        TOKENS.put("access token", (String) login.get("access_token"));
        TOKENS.put("id_token", (String) login.get("id_token"));
        TOKENS.put("refresh token", (String) login.get("refresh_token"));
        TOKENS.put("exchanged jwt", (String) ok(exchange(TOKENS.get("access token"), TokenTypes.ACCESS_TOKEN,
                "&requested_token_type=" + enc(TokenTypes.JWT))).get("access_token"));
        TOKENS.put("client assertion", assertion(signerKey));
        // what a token exchange's plain JWT looked like before kinds were typed: access-token claims, typ JWT
        long now = Instant.now().getEpochSecond();
        TOKENS.put("exchanged jwt typed JWT", server.bean(TokenMinter.class).sign(JWSAlgorithm.RS256,
                TokenKind.ID_TOKEN, new ClaimsWriter().string("iss", server.issuer()).string("sub", userId)
                        .string("aud", "api").string("client_id", "api").string("scope", "todo.read")
                        .number("iat", now).number("exp", now + 300).toJson()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String assertion(RSAKey key) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), new JWTClaimsSet.Builder().issuer("signer").subject("signer")
                .audience(server.issuer() + "/token").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(120))).jwtID(UUID.randomUUID().toString()).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static Map<String, Object> ok(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSONObjectUtils.parse(response.body());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String basic() {
        return LanyardServer.basic("api", apiSecret);
    }

    private static HttpResponse<String> exchange(String subject, String type, String extra) {
        return server.postForm("/token", "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token=" + enc(subject) + "&subject_token_type=" + enc(type) + "&audience=todo" + extra,
                "Authorization", basic());
    }

    /** Presents every kind at {@code place}; only {@code accepted} may get {@code ok}, the rest must not. */
    private static void onlyAccepts(String place, Set<String> accepted, Function<String, HttpResponse<String>> present,
                                    int ok) {
        List<String> wrong = new ArrayList<>();
        TOKENS.forEach((kind, token) -> {
            HttpResponse<String> response = present.apply(token);
            boolean took = response.statusCode() == ok;
            if (took != accepted.contains(kind) || response.statusCode() >= 500) {
                wrong.add(kind + " got " + response.statusCode() + " " + response.body());
            }
        });
        assertEquals(List.of(), wrong, place);
    }

    @Test
    void userinfoTakesAccessTokensOnly() {
        onlyAccepts("userinfo", Set.of("access token"), token -> LanyardServer.send(HttpRequest.newBuilder(
                URI.create(server.url("/userinfo"))).header("Authorization", "Bearer " + token).GET().build()), 200);
    }

    @Test
    void tokenExchangeTakesEachSubjectTokenTypeForItsOwnKindOnly() {
        onlyAccepts("subject_token_type access_token", Set.of("access token"),
                token -> exchange(token, TokenTypes.ACCESS_TOKEN, ""), 200);
        onlyAccepts("subject_token_type id_token", Set.of("id_token"),
                token -> exchange(token, TokenTypes.ID_TOKEN, ""), 200);
        onlyAccepts("subject_token_type jwt", Set.of("access token", "exchanged jwt"),
                token -> exchange(token, TokenTypes.JWT, ""), 200);
    }

    @Test
    void logoutTakesIdTokensOnlyAsHints() {
        // with a valid hint and no session the logout is done at once (200); any other token is a bad request
        onlyAccepts("id_token_hint", Set.of("id_token"), token -> server.get("/logout?id_token_hint=" + enc(token)),
                200);
    }

    @Test
    void theTokenEndpointTakesNoneOfOursAsAGrantAndOnlyAClientsOwnAsItsAssertion() {
        onlyAccepts("jwt-bearer assertion", Set.of(), token -> server.postForm("/token", "grant_type="
                + enc("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&assertion=" + enc(token)), 200);
        onlyAccepts("client_assertion", Set.of("client assertion"), token -> server.postForm("/token",
                "grant_type=client_credentials&client_assertion_type="
                        + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion=" + enc(token)),
                200);
    }
}

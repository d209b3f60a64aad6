package io.lanyard.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.AccessTokenTyp;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.clients.ClientService;
import io.lanyard.exchange.ExchangePolicy;
import io.lanyard.exchange.ExchangePolicyStore;
import io.lanyard.storage.Database;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client registered with {@code accessTokenTyp: none} gets access tokens without typ, and Lanyard's own
 * endpoints take them wherever they take its access tokens: /userinfo, and token exchange's subject and actor
 * tokens of type access_token. An untyped token of a client that kept at+jwt is still no access token there.
 */
class UntypedAccessTokensEndToEndTest {
    private static final String REDIRECT = "http://localhost:8000";
    private static final String UNTYPED = "share-untyped";
    private static final String TYPED = "share-typed";
    private static final Map<String, String> SECRETS = new HashMap<>();
    private static LanyardServer server;
    private static String userId;

    @BeforeAll
    static void start() {
        server = LanyardServer.startOn(TestDatabases.Kind.POSTGRES);
        userId = server.createUser("ivy", "ivy's long password", "ivy@example.com");
        for (String id : List.of(UNTYPED, TYPED)) {
            SECRETS.put(id, server.bean(ClientService.class).create(Client.builder(id)
                    .grantTypes(Set.of("authorization_code", "client_credentials",
                            "urn:ietf:params:oauth:grant-type:token-exchange"))
                    .scopes(Set.of("openid", "todo.read"))
                    .audiences(Set.of("todo"))
                    .redirectUris(Set.of(REDIRECT))
                    .accessTokenTyp(id.equals(UNTYPED) ? AccessTokenTyp.NONE : AccessTokenTyp.AT_JWT)
                    .build(), true).secret());
        }
        server.bean(Database.class).inTransaction(c -> ExchangePolicyStore.replaceFromConfig(c, List.of(
                new ExchangePolicy(UNTYPED, Set.of("todo"), Set.of("openid", "todo.read"), true, Set.of("self"), false,
                        "config"),
                new ExchangePolicy(TYPED, Set.of("todo"), Set.of("openid", "todo.read"), true, Set.of("self"), false,
                        "config"))));
        server.bean(ClientRegistry.class).reload();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The authorization-code grant's answer for ivy, over HTTP (the login itself is another test's). */
    static Map<String, Object> login(String clientId) throws Exception {
        Pkce pkce = Pkce.create();
        String code = server.bean(AuthorizationCodes.class).issue(new AuthorizationCodes.Approval(clientId, userId,
                REDIRECT, Set.of("openid", "todo.read"), null, pkce.challenge(), Instant.now()));
        return ok(server.postForm("/token", "grant_type=authorization_code&code=" + code + "&redirect_uri="
                + enc(REDIRECT) + "&code_verifier=" + pkce.verifier(), "Authorization", basic(clientId)));
    }

    static String clientToken(String clientId) throws Exception {
        return (String) ok(server.postForm("/token", "grant_type=client_credentials&audience=todo",
                "Authorization", basic(clientId))).get("access_token");
    }

    static HttpResponse<String> exchange(String clientId, String form) {
        return server.postForm("/token", "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&audience=todo" + form, "Authorization", basic(clientId));
    }

    static HttpResponse<String> userinfo(String token) {
        return LanyardServer.send(HttpRequest.newBuilder(URI.create(server.url("/userinfo")))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    static JOSEObjectType typ(String token) throws Exception {
        return JWSObject.parse(token).getHeader().getType();
    }

    @Test
    void itsAccessTokensCarryNoTypWhileItsIdTokensStayJwt() throws Exception {
        Map<String, Object> tokens = login(UNTYPED);
        assertNull(typ((String) tokens.get("access_token")));
        assertEquals(JOSEObjectType.JWT, typ((String) tokens.get("id_token")));
        assertNull(typ(clientToken(UNTYPED)));
        assertEquals(new JOSEObjectType("at+jwt"), typ(clientToken(TYPED)));
    }

    @Test
    void userinfoTakesThem() throws Exception {
        HttpResponse<String> response = userinfo((String) login(UNTYPED).get("access_token"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(userId, JSONObjectUtils.parse(response.body()).get("sub"));
    }

    @Test
    void tokenExchangeTakesThemAsSubjectAndActorTokens() throws Exception {
        String subject = (String) login(UNTYPED).get("access_token");
        Map<String, Object> exchanged = ok(exchange(UNTYPED, "&scope=todo.read&subject_token=" + subject
                + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token")
                + "&actor_token=" + clientToken(UNTYPED)
                + "&actor_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token")));
        assertEquals("urn:ietf:params:oauth:token-type:access_token", exchanged.get("issued_token_type"));
        String token = (String) exchanged.get("access_token");
        assertNull(typ(token), "the new token is the requesting client's kind of access token");
        JWTClaimsSet claims = JWTClaimsSet.parse(JWSObject.parse(token).getPayload().toJSONObject());
        assertEquals(userId, claims.getSubject());
        assertEquals(UNTYPED, ((Map<?, ?>) claims.getClaim("act")).get("sub"));
    }

    @Test
    void anUntypedTokenOfAClientThatKeptAtJwtIsStillNoAccessToken() throws Exception {
        // a token exchange's plain JWT (requested_token_type jwt): access-token claims, openid among them, no typ
        String plainJwt = (String) ok(exchange(TYPED, "&scope=" + enc("openid todo.read") + "&subject_token="
                + login(TYPED).get("access_token") + "&subject_token_type="
                + enc("urn:ietf:params:oauth:token-type:access_token") + "&requested_token_type="
                + enc("urn:ietf:params:oauth:token-type:jwt"))).get("access_token");
        assertNull(typ(plainJwt));

        HttpResponse<String> atUserinfo = userinfo(plainJwt);
        assertEquals(401, atUserinfo.statusCode(), atUserinfo.body());
        assertTrue(atUserinfo.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
        HttpResponse<String> asAccessToken = exchange(TYPED, "&subject_token=" + plainJwt + "&subject_token_type="
                + enc("urn:ietf:params:oauth:token-type:access_token"));
        assertEquals(400, asAccessToken.statusCode(), asAccessToken.body());
        assertEquals("invalid_grant", JSONObjectUtils.parse(asAccessToken.body()).get("error"));
        assertEquals(200, exchange(TYPED, "&subject_token=" + plainJwt + "&subject_token_type="
                + enc("urn:ietf:params:oauth:token-type:jwt")).statusCode(), "as a jwt it is taken, as before");
    }

    @Test
    void switchingBackToAtJwtTypesTheNextTokens() throws Exception {
        String id = "switcher";
        SECRETS.put(id, server.bean(ClientService.class).create(Client.builder(id)
                .grantTypes(Set.of("client_credentials")).audiences(Set.of("todo"))
                .accessTokenTyp(AccessTokenTyp.NONE).build(), true).secret());
        server.bean(ClientRegistry.class).reload();
        assertNull(typ(clientToken(id)));
        server.bean(ClientService.class).update(id, c -> c.toBuilder().accessTokenTyp(AccessTokenTyp.AT_JWT).build());
        server.bean(ClientRegistry.class).reload();
        assertEquals(new JOSEObjectType("at+jwt"), typ(clientToken(id)));
    }

    private static Map<String, Object> ok(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSONObjectUtils.parse(response.body());
    }

    private static String basic(String clientId) {
        return LanyardServer.basic(clientId, SECRETS.get(clientId));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

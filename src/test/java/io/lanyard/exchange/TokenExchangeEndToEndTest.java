package io.lanyard.exchange;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.clients.ClientService;
import io.lanyard.jwt.ClaimsWriter;
import io.lanyard.jwt.TokenKind;
import io.lanyard.jwt.TokenMinter;
import io.lanyard.storage.Database;
import io.lanyard.testing.Browser;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.RemoteVerifier;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.UserService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The on-behalf-of chain over HTTP: Bob logs in to the web app, whose token is for the share
 * service; the share service exchanges it, with its own token as actor, for a token to the todo
 * service; the todo service exchanges that one again for the audit service. Every token is
 * checked the way the receiving service would: through discovery and the JWKS.
 */
class TokenExchangeEndToEndTest {
    /** The todo service's client id is its audience, so tokens for it are tokens it may exchange further. */
    private static final String TODO = "todo";
    private static final String AUDIT = "https://audit.example.com";
    private static final String REDIRECT = "http://localhost:8000";
    private static LanyardServer server;
    private static String shareSecret;
    private static String todoSecret;
    private static String nosySecret;
    private static String batchSecret;
    private static String bobId;

    @BeforeAll
    static void start() {
        server = LanyardServer.startOn(TestDatabases.Kind.POSTGRES);
        bobId = server.createUser("bob", "bob's long password", "bob@example.com", "staff");
        ClientService clients = server.bean(ClientService.class);
        // the web app's user tokens are for the share service
        clients.create(Client.builder("web")
                .name("Web app")
                .grantTypes(Set.of("authorization_code"))
                .scopes(Set.of("openid", "todo.read", "todo.write"))
                .defaultScopes(Set.of("openid"))
                .audiences(Set.of("share"))
                .redirectUris(Set.of(REDIRECT))
                .publicClient(true)
                .build(), false);
        shareSecret = service(clients, "share", "share");
        todoSecret = service(clients, "todo", TODO);
        nosySecret = service(clients, "nosy", "nosy");
        // a batch job keeps working for Bob after his token has expired: its policy says so
        batchSecret = service(clients, "batch", "batch");
        server.bean(Database.class).inTransaction(c -> ExchangePolicyStore.replaceFromConfig(c, List.of(
                new ExchangePolicy("share", Set.of(TODO), Set.of("todo.read", "todo.write"), false, Set.of("self"), "config"),
                new ExchangePolicy("todo", Set.of(AUDIT), Set.of("todo.read"), false, Set.of("self"), "config"),
                new ExchangePolicy("nosy", Set.of(TODO), Set.of("todo.read"), true, Set.of("self"), "config"),
                new ExchangePolicy("batch", Set.of(TODO), Set.of("todo.read"), false, Set.of("self"), true, "cli"))));
        server.bean(ClientRegistry.class).reload();
    }

    /** A service that may use client credentials and token exchange, for its own audience; its secret. */
    private static String service(ClientService clients, String id, String audience) {
        return clients.create(Client.builder(id)
                .grantTypes(Set.of("client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"))
                .audiences(Set.of(audience))
                .build(), true).secret();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String bobsToken(String scope) throws Exception {
        Pkce pkce = Pkce.create();
        String location = new Browser().login(server.url(""), server.url("/authorize?response_type=code&client_id=web"
                + "&redirect_uri=" + enc(REDIRECT) + "&scope=" + enc(scope) + "&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256"), "bob", "bob's long password");
        HttpResponse<String> tokens = server.postForm("/token", "grant_type=authorization_code&client_id=web&code="
                + Browser.query(location).get("code") + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier=" + pkce.verifier());
        assertEquals(200, tokens.statusCode(), tokens.body());
        return (String) JSONObjectUtils.parse(tokens.body()).get("access_token");
    }

    private static String serviceToken(String client, String secret) throws Exception {
        HttpResponse<String> response = server.postForm("/token", "grant_type=client_credentials",
                "Authorization", LanyardServer.basic(client, secret));
        assertEquals(200, response.statusCode(), response.body());
        return (String) JSONObjectUtils.parse(response.body()).get("access_token");
    }

    private static HttpResponse<String> exchange(String client, String secret, String subject, String actor, String extra) {
        return server.postForm("/token", "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token=" + subject + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token")
                + (actor == null ? "" : "&actor_token=" + actor + "&actor_token_type="
                + enc("urn:ietf:params:oauth:token-type:access_token")) + extra,
                "Authorization", LanyardServer.basic(client, secret));
    }

    private static String error(HttpResponse<String> response) throws Exception {
        return (String) JSONObjectUtils.parse(response.body()).get("error");
    }

    @Test
    void shareActsForBobAtTodoAndTodoForBothAtAudit() throws Exception {
        String bob = bobsToken("openid todo.read todo.write");
        JWTClaimsSet bobs = new RemoteVerifier(server.issuer(), "share").verify(bob);
        HttpResponse<String> response = exchange("share", shareSecret, bob, serviceToken("share", shareSecret),
                "&audience=" + enc(TODO) + "&scope=todo.read");
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> json = JSONObjectUtils.parse(response.body());
        assertEquals("urn:ietf:params:oauth:token-type:access_token", json.get("issued_token_type"));
        assertEquals("Bearer", json.get("token_type"));
        assertEquals("todo.read", json.get("scope"));

        JWTClaimsSet forTodo = new RemoteVerifier(server.issuer(), TODO).verify((String) json.get("access_token"));
        assertEquals(bobId, forTodo.getSubject(), "still Bob");
        assertEquals(List.of(TODO), forTodo.getAudience());
        assertEquals("todo.read", forTodo.getStringClaim("scope"));
        assertEquals(Map.of("sub", "share", "client_id", "share"), forTodo.getJSONObjectClaim("act"));
        assertTrue(!forTodo.getExpirationTime().after(bobs.getExpirationTime()), "never outlives the subject token");

        // the todo service passes it on to the audit service: the chain of actors nests
        HttpResponse<String> second = exchange("todo", todoSecret, (String) json.get("access_token"),
                serviceToken("todo", todoSecret), "&resource=" + enc(AUDIT));
        assertEquals(200, second.statusCode(), second.body());
        JWTClaimsSet forAudit = new RemoteVerifier(server.issuer(), AUDIT).verify(
                (String) JSONObjectUtils.parse(second.body()).get("access_token"));
        assertEquals(bobId, forAudit.getSubject());
        assertEquals(Map.of("sub", "todo", "client_id", "todo", "act", Map.of("sub", "share", "client_id", "share")),
                forAudit.getJSONObjectClaim("act"));
        assertEquals("todo.read", forAudit.getStringClaim("scope"));
    }

    @Test
    void onlyAPolicyThatSaysSoLetsTheNewTokenOutliveTheSubjectToken() throws Exception {
        // a subject token about to expire (60 s), for both share and batch, against the default 10 minutes
        long now = System.currentTimeMillis() / 1000;
        String bob = server.bean(TokenMinter.class).sign(JWSAlgorithm.RS256, TokenKind.ACCESS_TOKEN, new ClaimsWriter()
                .string("iss", server.issuer()).string("sub", bobId).audience(List.of("share", "batch"))
                .string("client_id", "web").string("scope", "todo.read").number("iat", now).number("exp", now + 60)
                .string("jti", "short-lived").toJson());
        JWTClaimsSet subject = new RemoteVerifier(server.issuer(), "share").verify(bob);

        HttpResponse<String> capped = exchange("share", shareSecret, bob, serviceToken("share", shareSecret),
                "&audience=" + enc(TODO));
        assertEquals(200, capped.statusCode(), capped.body());
        JWTClaimsSet cappedToken = new RemoteVerifier(server.issuer(), TODO).verify(
                (String) JSONObjectUtils.parse(capped.body()).get("access_token"));
        assertTrue(!cappedToken.getExpirationTime().after(subject.getExpirationTime()),
                "without mayOutliveSubject it expires with the subject token");

        HttpResponse<String> longer = exchange("batch", batchSecret, bob, serviceToken("batch", batchSecret),
                "&audience=" + enc(TODO));
        assertEquals(200, longer.statusCode(), longer.body());
        Map<String, Object> json = JSONObjectUtils.parse(longer.body());
        JWTClaimsSet longerToken = new RemoteVerifier(server.issuer(), TODO).verify((String) json.get("access_token"));
        assertTrue(longerToken.getExpirationTime().after(subject.getExpirationTime()),
                "with mayOutliveSubject it outlives the subject token: " + longerToken.getExpirationTime() + " vs "
                        + subject.getExpirationTime());
        assertEquals(bobId, longerToken.getSubject(), "still Bob");
        assertEquals(600L, ((Number) json.get("expires_in")).longValue(), "the client's access-token lifetime");

        // batch's own token (as an earlier extended exchange gave it) is not extended again: no endless renewal
        String own = server.bean(TokenMinter.class).sign(JWSAlgorithm.RS256, TokenKind.ACCESS_TOKEN, new ClaimsWriter()
                .string("iss", server.issuer()).string("sub", bobId).audience(List.of(TODO))
                .string("client_id", "batch").string("scope", "todo.read").number("iat", now).number("exp", now + 60)
                .string("jti", "batch-own").toJson());
        HttpResponse<String> renewed = exchange("batch", batchSecret, own, serviceToken("batch", batchSecret),
                "&audience=" + enc(TODO));
        assertEquals(200, renewed.statusCode(), renewed.body());
        JWTClaimsSet renewedToken = new RemoteVerifier(server.issuer(), TODO).verify(
                (String) JSONObjectUtils.parse(renewed.body()).get("access_token"));
        assertTrue(renewedToken.getExpirationTime().getTime() / 1000 <= now + 60,
                "a client's own token expires with itself: " + renewedToken.getExpirationTime());
    }

    /** "Sign out everywhere": once the web app revokes Bob's token, no service can exchange it or its exchanges. */
    @Test
    void aRevokedSubjectTokenOrExchangedTokenCannotBeExchanged() throws Exception {
        String bob = bobsToken("openid todo.read");
        HttpResponse<String> forTodo = exchange("share", shareSecret, bob, serviceToken("share", shareSecret),
                "&audience=" + enc(TODO));
        assertEquals(200, forTodo.statusCode(), forTodo.body());
        String exchanged = (String) JSONObjectUtils.parse(forTodo.body()).get("access_token");
        assertEquals(200, exchange("todo", todoSecret, exchanged, serviceToken("todo", todoSecret),
                "&resource=" + enc(AUDIT)).statusCode());

        assertEquals(200, server.postForm("/revoke", "client_id=web&token=" + bob).statusCode());
        HttpResponse<String> refused = exchange("share", shareSecret, bob, serviceToken("share", shareSecret),
                "&audience=" + enc(TODO));
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("invalid_grant", error(refused));

        // the exchanged token is share's to revoke; once it does, todo cannot pass it on to audit
        assertEquals(200, server.postForm("/revoke", "token=" + exchanged, "Authorization",
                LanyardServer.basic("share", shareSecret)).statusCode());
        assertEquals("invalid_grant", error(exchange("todo", todoSecret, exchanged, serviceToken("todo", todoSecret),
                "&resource=" + enc(AUDIT))));
    }

    @Test
    void aPlainJwtCanBeAskedFor() throws Exception {
        HttpResponse<String> response = exchange("share", shareSecret, bobsToken("openid todo.read"),
                serviceToken("share", shareSecret), "&audience=" + enc(TODO) + "&requested_token_type="
                        + enc("urn:ietf:params:oauth:token-type:jwt"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("urn:ietf:params:oauth:token-type:jwt", JSONObjectUtils.parse(response.body()).get("issued_token_type"));
    }

    @Test
    void refusals() throws Exception {
        String bob = bobsToken("openid todo.read");
        String shareActor = serviceToken("share", shareSecret);
        assertEquals("invalid_scope", error(exchange("share", shareSecret, bob, shareActor,
                "&audience=" + enc(TODO) + "&scope=todo.write")), "scope only narrows what Bob's token had");
        assertEquals("invalid_target", error(exchange("share", shareSecret, bob, shareActor,
                "&audience=" + enc(AUDIT))), "audience not in the policy");
        assertEquals("invalid_target", error(exchange("share", shareSecret, bob, shareActor, "")), "no audience");
        assertEquals("invalid_grant", error(exchange("share", shareSecret, bob, null, "&audience=" + enc(TODO))),
                "impersonation is not allowed for share");
        HttpResponse<String> foreign = exchange("nosy", nosySecret, bob, serviceToken("nosy", nosySecret),
                "&audience=" + enc(TODO));
        assertEquals("invalid_grant", error(foreign), "Bob's token was for share, not for nosy");
        assertTrue(!foreign.body().contains("share") && !foreign.body().contains("policy"), "no policy details: " + foreign.body());
        assertEquals("invalid_grant", error(exchange("share", shareSecret, bob, serviceToken("nosy", nosySecret),
                "&audience=" + enc(TODO))), "an actor token of another client");
        assertEquals("invalid_grant", error(exchange("share", shareSecret, bob.substring(0, bob.length() - 3) + "AAA",
                shareActor, "&audience=" + enc(TODO))), "bad signature");
        assertEquals("unauthorized_client", error(server.postForm("/token", "grant_type="
                + enc("urn:ietf:params:oauth:grant-type:token-exchange") + "&client_id=web&subject_token=" + bob
                + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token") + "&audience=" + enc(TODO))),
                "a public client may not exchange");
        assertEquals("invalid_request", error(server.postForm("/token", "grant_type="
                + enc("urn:ietf:params:oauth:grant-type:token-exchange") + "&audience=" + enc(TODO),
                "Authorization", LanyardServer.basic("share", shareSecret))), "subject_token missing");
        assertEquals("invalid_request", error(server.postForm("/token", "grant_type="
                + enc("urn:ietf:params:oauth:grant-type:token-exchange") + "&subject_token=" + bob
                + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:saml2") + "&audience=" + enc(TODO),
                "Authorization", LanyardServer.basic("share", shareSecret))), "unsupported subject_token_type");
        assertEquals("invalid_request", error(exchange("share", shareSecret, bob, shareActor, "&audience=" + enc(TODO)
                + "&requested_token_type=" + enc("urn:ietf:params:oauth:token-type:refresh_token"))),
                "unsupported requested_token_type");
        assertEquals("invalid_request", error(exchange("share", shareSecret, bob, null, "&audience=" + enc(TODO)
                + "&actor_token=" + shareActor)), "actor_token without its type");
    }

    @Test
    void mayActMustNameTheActor() throws Exception {
        TokenMinter minter = server.bean(TokenMinter.class);
        long now = System.currentTimeMillis() / 1000;
        String subject = minter.sign(JWSAlgorithm.RS256, TokenKind.ACCESS_TOKEN, new ClaimsWriter()
                .string("iss", server.issuer()).string("sub", bobId).string("aud", "share").string("client_id", "web")
                .string("scope", "todo.read").number("iat", now).number("exp", now + 300)
                .object("may_act", Map.of("sub", "someone-else")).toJson());
        assertEquals("invalid_grant", error(exchange("share", shareSecret, subject, serviceToken("share", shareSecret),
                "&audience=" + enc(TODO))));
    }

    @Test
    void aDisabledUsersTokenCannotBeExchanged() throws Exception {
        server.createUser("carol", "carol's long password", "carol@example.com");
        Pkce pkce = Pkce.create();
        String location = new Browser().login(server.url(""), server.url("/authorize?response_type=code&client_id=web"
                + "&redirect_uri=" + enc(REDIRECT) + "&scope=todo.read&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256"), "carol", "carol's long password");
        String carol = (String) JSONObjectUtils.parse(server.postForm("/token", "grant_type=authorization_code&client_id=web"
                + "&code=" + Browser.query(location).get("code") + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier="
                + pkce.verifier()).body()).get("access_token");
        server.bean(UserService.class).setDisabled("carol", true);
        assertEquals("invalid_grant", error(exchange("share", shareSecret, carol, serviceToken("share", shareSecret),
                "&audience=" + enc(TODO))));
    }
}

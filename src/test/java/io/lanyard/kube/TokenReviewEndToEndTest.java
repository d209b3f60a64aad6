package io.lanyard.kube;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
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
import io.lanyard.storage.Database;
import io.lanyard.testing.Browser;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.UserService;
import io.lanyard.users.UserStatusCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TokenReview webhook as kube-apiserver calls it ({@code --authentication-token-webhook-version=v1}):
 * a person's id_token is a user with prefixed groups; {@code spec.audiences} is honoured; expired,
 * revoked, foreign, malformed tokens, tokens for a client the cluster does not accept, and disabled
 * users are {@code authenticated: false} with an error; an exchanged token names its actors in
 * {@code extra}; a caller without the cluster's credentials gets 401.
 */
class TokenReviewEndToEndTest {
    private static final String REDIRECT = "http://localhost:8000";
    private static LanyardServer server;
    private static String apiserverSecret;
    private static String shareSecret;
    private static String aliceId;

    @BeforeAll
    static void start() {
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.fresh(TestDatabases.Kind.H2));
        props.put("lanyard.test.mutable-clock", "true");
        props.put("lanyard.token-review.clients", "apiserver");
        // the sub claim, so that access tokens (which carry no email) are users too
        props.put("lanyard.token-review.username-claim", "sub");
        server = LanyardServer.start(props);
        aliceId = server.createUser("alice", "alice's long password", "alice@example.com", "developers");
        server.createUser("bob", "bob's long password", "bob@example.com", "developers");
        ClientService clients = server.bean(ClientService.class);
        clients.create(Client.builder("k8s").grantTypes(Set.of("authorization_code"))
                .scopes(Set.of("openid", "email", "groups", "todo.read")).defaultScopes(Set.of("openid"))
                .audiences(Set.of("share")).redirectUris(Set.of(REDIRECT)).publicClient(true).build(), false);
        clients.create(Client.builder("other").grantTypes(Set.of("authorization_code"))
                .scopes(Set.of("openid", "email", "groups")).defaultScopes(Set.of("openid"))
                .redirectUris(Set.of(REDIRECT)).publicClient(true).build(), false);
        // the cluster: accepts the id_tokens of k8s and the tokens share exchanges for k8s-api
        apiserverSecret = clients.create(Client.builder("apiserver").grantTypes(Set.of("client_credentials"))
                .audiences(Set.of("k8s", "k8s-api")).build(), true).secret();
        shareSecret = clients.create(Client.builder("share").grantTypes(Set.of("client_credentials",
                "urn:ietf:params:oauth:grant-type:token-exchange")).audiences(Set.of("share")).build(), true).secret();
        server.bean(Database.class).inTransaction(c -> ExchangePolicyStore.replaceFromConfig(c, List.of(
                new ExchangePolicy("share", Set.of("k8s-api"), Set.of("todo.read"), false, Set.of("self"), "config"))));
        server.bean(ClientRegistry.class).reload();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A login through {@code client}: the token response. */
    private static Map<String, Object> login(String client, String username, String password) throws Exception {
        Pkce pkce = Pkce.create();
        String location = new Browser().login(server.url(""), server.url("/authorize?response_type=code&client_id="
                + client + "&redirect_uri=" + enc(REDIRECT) + "&scope=" + enc("openid email groups"
                + ("k8s".equals(client) ? " todo.read" : "")) + "&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256"), username, password);
        HttpResponse<String> tokens = server.postForm("/token", "grant_type=authorization_code&client_id=" + client
                + "&code=" + Browser.query(location).get("code") + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier="
                + pkce.verifier());
        assertEquals(200, tokens.statusCode(), tokens.body());
        return JSONObjectUtils.parse(tokens.body());
    }

    private static HttpResponse<String> post(String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url("/tokenreview")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return LanyardServer.send(request.build());
    }

    /** A TokenReview as kube-apiserver sends it, answered: its status. */
    private static Map<String, Object> review(String token, List<String> audiences) throws Exception {
        return review("authentication.k8s.io/v1", token, audiences);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> review(String version, String token, List<String> audiences) throws Exception {
        Map<String, Object> spec = audiences == null ? Map.of("token", token) : Map.of("token", token, "audiences", audiences);
        HttpResponse<String> answer = post(JSONObjectUtils.toJSONString(Map.of("apiVersion", version,
                "kind", "TokenReview", "spec", spec)), "Authorization", "Bearer " + apiserverSecret);
        assertEquals(200, answer.statusCode(), answer.body());
        Map<String, Object> json = JSONObjectUtils.parse(answer.body());
        assertEquals(version, json.get("apiVersion"));
        assertEquals("TokenReview", json.get("kind"));
        return (Map<String, Object>) json.get("status");
    }

    private static void refused(Map<String, Object> status, String error) {
        assertEquals(false, status.get("authenticated"), status.toString());
        assertTrue(((String) status.get("error")).contains(error), status.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPersonsIdTokenIsAUserWithPrefixedGroupsAndTheClientInExtra() throws Exception {
        String idToken = (String) login("k8s", "alice", "alice's long password").get("id_token");
        Map<String, Object> status = review(idToken, null);
        assertEquals(true, status.get("authenticated"), status.toString());
        Map<String, Object> user = (Map<String, Object>) status.get("user");
        assertEquals("lanyard:" + aliceId, user.get("username"));
        assertEquals(aliceId, user.get("uid"));
        assertEquals(List.of("lanyard:developers"), user.get("groups"));
        assertEquals(Map.of("lanyard.io/client-id", List.of("k8s")), user.get("extra"));
        assertEquals(List.of(), status.get("audiences"), "no spec.audiences: valid for the API server's own");
        // audiences the apiserver names: those the token is for come back; its own implicit one is left to it
        assertEquals(List.of("k8s"), review(idToken, List.of("k8s", "https://other.example")).get("audiences"));
        Map<String, Object> implicit = review(idToken, List.of("https://kubernetes.default.svc"));
        assertEquals(true, implicit.get("authenticated"));
        assertEquals(List.of(), implicit.get("audiences"));
        // v1beta1 (the apiserver's default webhook version) is answered in kind
        assertEquals(true, review("authentication.k8s.io/v1beta1", idToken, null).get("authenticated"));
    }

    @Test
    void foreignMalformedAndOtherClientsTokensAreRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k").build(),
                new JWTClaimsSet.Builder().issuer(server.issuer()).subject(aliceId).audience("k8s")
                        .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        forged.sign(new RSASSASigner(stranger));
        refused(review(forged.serialize(), null), "not a valid Lanyard token");
        refused(review("not-a-jwt", null), "not a valid Lanyard token");
        refused(review("", null), "not a valid Lanyard token");
        String othersToken = (String) login("other", "alice", "alice's long password").get("id_token");
        refused(review(othersToken, null), "none of the clients this cluster accepts");
    }

    @Test
    void anExpiredTokenAndADisabledUsersTokenAreRefused() throws Exception {
        String bobs = (String) login("k8s", "bob", "bob's long password").get("id_token");
        assertEquals(true, review(bobs, null).get("authenticated"));
        server.bean(UserService.class).setDisabled("bob", true);
        server.bean(UserStatusCache.class).reload();
        try {
            refused(review(bobs, null), "disabled");
        } finally {
            server.bean(UserService.class).setDisabled("bob", false);
            server.bean(UserStatusCache.class).reload();
        }
        String alices = (String) login("k8s", "alice", "alice's long password").get("id_token");
        server.bean(MutableClock.class).advance(Duration.ofHours(2));
        refused(review(alices, null), "expired");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anExchangedTokenNamesItsActorAndARevokedOneIsRefused() throws Exception {
        String access = (String) login("k8s", "alice", "alice's long password").get("access_token");
        HttpResponse<String> share = server.postForm("/token", "grant_type=client_credentials",
                "Authorization", LanyardServer.basic("share", shareSecret));
        String actor = (String) JSONObjectUtils.parse(share.body()).get("access_token");
        HttpResponse<String> exchanged = server.postForm("/token", "grant_type="
                + enc("urn:ietf:params:oauth:grant-type:token-exchange") + "&subject_token=" + access
                + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token") + "&actor_token=" + actor
                + "&actor_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token") + "&audience=k8s-api",
                "Authorization", LanyardServer.basic("share", shareSecret));
        assertEquals(200, exchanged.statusCode(), exchanged.body());
        String token = (String) JSONObjectUtils.parse(exchanged.body()).get("access_token");
        Map<String, Object> status = review(token, List.of("k8s-api"));
        assertEquals(true, status.get("authenticated"), status.toString());
        Map<String, Object> user = (Map<String, Object>) status.get("user");
        assertEquals("lanyard:" + aliceId, user.get("username"));
        Map<String, Object> extra = (Map<String, Object>) user.get("extra");
        assertEquals(List.of("share"), extra.get("lanyard.io/actors"));
        assertEquals(List.of("share"), extra.get("lanyard.io/client-id"));
        assertEquals(List.of("k8s-api"), status.get("audiences"));
        // revoked by its client: refused at once on this replica
        assertEquals(200, server.postForm("/revoke", "token=" + token, "Authorization",
                LanyardServer.basic("share", shareSecret)).statusCode());
        refused(review(token, null), "not a valid Lanyard token");
        // a service's own token is no person
        HttpResponse<String> own = server.postForm("/token", "grant_type=client_credentials",
                "Authorization", LanyardServer.basic("apiserver", apiserverSecret));
        assertEquals(200, own.statusCode(), own.body());
        refused(review((String) JSONObjectUtils.parse(own.body()).get("access_token"), null), "not a person");
    }

    @Test
    void onlyTheClusterMayAsk() {
        String body = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"x\"}}";
        assertEquals(401, post(body).statusCode());
        assertEquals(401, post(body, "Authorization", "Bearer wrong").statusCode());
        // another client's real secret is not the cluster's
        assertEquals(401, post(body, "Authorization", "Bearer " + shareSecret).statusCode());
        assertEquals(401, post(body, "Authorization", LanyardServer.basic("apiserver", apiserverSecret)).statusCode());
        assertEquals(400, post("{\"kind\":\"Pod\"}", "Authorization", "Bearer " + apiserverSecret).statusCode());
        assertEquals(400, post("not json", "Authorization", "Bearer " + apiserverSecret).statusCode());
        assertEquals(413, post("{\"spec\":\"" + "x".repeat(70_000) + "\"}", "Authorization", "Bearer " + apiserverSecret)
                .statusCode());
        assertEquals(200, post(body, "Authorization", "Bearer " + apiserverSecret).statusCode());
    }
}

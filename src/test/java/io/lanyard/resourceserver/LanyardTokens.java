package io.lanyard.resourceserver;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.PlainObject;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.clients.AccessTokenTyp;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.clients.ClientService;
import io.lanyard.keys.KeyRingHolder;
import io.lanyard.keys.KeyRotator;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import io.lanyard.token.AuthorizationCodes;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Lanyard for the resource-server examples, and the tokens their callers get from it over HTTP. The API
 * is {@code reports}, the id of the reports service's own client (its web pages log people in), so that a
 * token for the API is one the service may exchange further; {@code billing} is another service.
 */
final class LanyardTokens implements AutoCloseable {
    static final String API = "reports";
    static final String OTHER_API = "billing";
    /** Calls the API with RFC 9068 access tokens ({@code typ: at+jwt}). */
    static final String DASHBOARD = "dashboard";
    /** Registered with {@code accessTokenTyp: none}: its access tokens carry no typ. */
    static final String LEGACY = "legacy";
    private static final String REDIRECT = "http://localhost:8000";

    private final LanyardServer server;
    private final Map<String, String> secrets = new HashMap<>();
    private String userId;

    private LanyardTokens(LanyardServer server) {
        this.server = server;
    }

    static LanyardTokens start() {
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.freshH2());
        props.put("lanyard.test.mutable-clock", "true");
        LanyardTokens lanyard = new LanyardTokens(LanyardServer.start(props));
        lanyard.keyFromThePast();
        lanyard.caller(DASHBOARD, AccessTokenTyp.AT_JWT);
        lanyard.caller(LEGACY, AccessTokenTyp.NONE);
        lanyard.secrets.put(API, lanyard.server.bean(ClientService.class).create(Client.builder(API)
                .grantTypes(Set.of("authorization_code"))
                .scopes(Set.of("openid", "profile"))
                .redirectUris(Set.of(REDIRECT))
                .build(), true).secret());
        lanyard.server.bean(ClientRegistry.class).reload();
        return lanyard;
    }

    /**
     * A key that was already signing half an hour ago, as it would be in a Lanyard that has run for a while,
     * so that {@link #expiredToken} can be issued then; the key made at start signs now, being newer.
     */
    private void keyFromThePast() {
        MutableClock clock = server.bean(MutableClock.class);
        clock.advance(Duration.ofMinutes(-30));
        try {
            server.bean(KeyRotator.class).rotateNow(JWSAlgorithm.RS256, true);
        } finally {
            clock.advance(Duration.ofMinutes(30));
        }
        server.bean(KeyRingHolder.class).reload();
    }

    private void caller(String id, AccessTokenTyp typ) {
        secrets.put(id, server.bean(ClientService.class).create(Client.builder(id)
                .grantTypes(Set.of("client_credentials"))
                .scopes(Set.of("reports.read", "reports.admin"))
                .defaultScopes(Set.of("reports.read"))
                .audiences(Set.of(API, OTHER_API))
                .accessTokenTyp(typ)
                .build(), true).secret());
    }

    String issuer() {
        return server.issuer();
    }

    LanyardServer server() {
        return server;
    }

    /** A client-credentials access token of {@code client} for the API. */
    String token(String client) {
        return token(client, API);
    }

    String token(String client, String audience) {
        HttpResponse<String> response = server.postForm("/token", "grant_type=client_credentials&audience="
                + enc(audience), "Authorization", LanyardServer.basic(client, secrets.get(client)));
        return (String) ok(response).get("access_token");
    }

    /** A token of {@code client} for the API that expired 20 minutes ago (10-minute lifetime). */
    String expiredToken(String client) {
        MutableClock clock = server.bean(MutableClock.class);
        clock.advance(Duration.ofMinutes(-30));
        try {
            return token(client);
        } finally {
            clock.advance(Duration.ofMinutes(30));
        }
    }

    /** An id_token Lanyard issued to the reports service's own client: its aud is the API's name. */
    String idToken() {
        if (userId == null) {
            userId = server.createUser("ivy", "ivy's long password", "ivy@example.com");
        }
        Pkce pkce = Pkce.create();
        String code = server.bean(AuthorizationCodes.class).issue(new AuthorizationCodes.Approval(API, userId,
                REDIRECT, Set.of("openid"), null, pkce.challenge(), Instant.now()));
        HttpResponse<String> response = server.postForm("/token", "grant_type=authorization_code&code=" + code
                + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier=" + pkce.verifier(),
                "Authorization", LanyardServer.basic(API, secrets.get(API)));
        return (String) ok(response).get("id_token");
    }

    /** The token with a wider scope written into its claims, and its signature left as it was. */
    static String tampered(String token) {
        try {
            JWSObject jws = JWSObject.parse(token);
            Map<String, Object> claims = jws.getPayload().toJSONObject();
            claims.put("scope", "reports.read reports.admin");
            String[] parts = token.split("\\.");
            return parts[0] + "." + Base64URL.encode(JSONObjectUtils.toJSONString(claims)) + "." + parts[2];
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token's typ and claims with no signature at all ({@code alg: none}). */
    static String unsigned(String token) {
        try {
            JWSObject jws = JWSObject.parse(token);
            return new PlainObject(new PlainHeader.Builder().type(jws.getHeader().getType()).build(),
                    jws.getPayload()).serialize();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The header's typ, or null for none. */
    static String typ(String token) {
        try {
            JOSEObjectType type = JWSObject.parse(token).getHeader().getType();
            return type == null ? null : type.getType();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        try {
            return JSONObjectUtils.parse(response.body());
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }
}

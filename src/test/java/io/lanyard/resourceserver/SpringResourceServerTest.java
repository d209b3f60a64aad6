package io.lanyard.resourceserver;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtException;

import java.util.List;

import static io.lanyard.resourceserver.LanyardTokens.API;
import static io.lanyard.resourceserver.LanyardTokens.DASHBOARD;
import static io.lanyard.resourceserver.LanyardTokens.LEGACY;
import static io.lanyard.resourceserver.LanyardTokens.OTHER_API;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README "Verifying Lanyard's tokens in your service": Spring Security's decoder ({@link SpringAccessTokens}). */
class SpringResourceServerTest {
    private static final String DECODE = "An error occurred while attempting to decode the Jwt: ";
    static LanyardTokens lanyard;
    static JwtDecoder example;

    @BeforeAll
    static void start() {
        lanyard = LanyardTokens.start();
        example = SpringAccessTokens.decoder(lanyard.issuer(), API);
    }

    @AfterAll
    static void stop() {
        lanyard.close();
    }

    static JwtException refusal(JwtDecoder decoder, String token) {
        return assertThrows(JwtException.class, () -> decoder.decode(token));
    }

    @Test
    void acceptsAnAccessTokenThroughDiscovery() {
        Jwt jwt = example.decode(lanyard.token(DASHBOARD));
        assertEquals(DASHBOARD, jwt.getSubject());
        assertEquals(List.of(API), jwt.getAudience());
        assertEquals("at+jwt", jwt.getHeaders().get("typ"));
        assertEquals("reports.read", jwt.getClaimAsString("scope"));
    }

    @Test
    void refusesATokenForAnotherAudience() {
        assertEquals(DECODE + "The aud claim is not valid",
                refusal(example, lanyard.token(DASHBOARD, OTHER_API)).getMessage());
    }

    @Test
    void refusesAnExpiredToken() {
        String message = refusal(example, lanyard.expiredToken(DASHBOARD)).getMessage();
        assertTrue(message.startsWith(DECODE + "Jwt expired at "), message);
    }

    @Test
    void refusesATamperedOrUnsignedToken() {
        String token = lanyard.token(DASHBOARD);
        JwtException tampered = refusal(example, LanyardTokens.tampered(token));
        assertInstanceOf(BadJwtException.class, tampered);
        assertEquals(DECODE + "Signed JWT rejected: Invalid signature", tampered.getMessage());
        assertEquals("Unsupported algorithm of none", refusal(example, LanyardTokens.unsigned(token)).getMessage());
    }

    @Test
    void refusesAnIdTokenForTheSameAudience() {
        assertEquals(DECODE + "the given typ value needs to be one of [at+jwt, application/at+jwt]",
                refusal(example, lanyard.idToken()).getMessage());
    }

    @Test
    void theDefaultDecoderRefusesAtJwt() {
        JwtDecoder defaults = JwtDecoders.fromIssuerLocation(lanyard.issuer());
        assertEquals(DECODE + "JOSE header typ (type) at+jwt not allowed",
                refusal(defaults, lanyard.token(DASHBOARD)).getMessage());
    }

    @Test
    void aClientWithoutTypGetsTokensTheDefaultDecoderAccepts() {
        String token = lanyard.token(LEGACY);
        assertEquals(LEGACY, JwtDecoders.fromIssuerLocation(lanyard.issuer()).decode(token).getSubject());
        // the example, which insists on at+jwt, refuses it
        assertEquals(DECODE + "the given typ value needs to be one of [at+jwt, application/at+jwt]",
                refusal(example, token).getMessage());
    }
}

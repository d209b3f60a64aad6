package io.lanyard.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.clients.ClientService;
import io.lanyard.jwt.TokenKind;
import io.lanyard.keys.KeyRingHolder;
import io.lanyard.keys.KeyRotator;
import io.lanyard.oauth.OAuthException;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.Group;
import io.lanyard.users.GroupService;
import io.lanyard.users.User;
import io.lanyard.users.UserService;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The token engine without its HTTP endpoint, for unit tests of one grant handler: a context of
 * the CLI kind (no server, no schedules) on a fresh PostgreSQL schema, with signing keys, a clock
 * the test moves, and helpers to register clients and people. Tokens are verified against the
 * key ring's published JWKS, as a relying party would verify them. Registered as a static
 * {@code @RegisterExtension} field, it closes its context after the test class.
 */
final class GrantFixture implements AfterAllCallback {
    static final String ISSUER = "https://lanyard.test";

    private final ApplicationContext context;

    GrantFixture() {
        this(Map.of());
    }

    GrantFixture(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(TestDatabases.freshPostgres());
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        props.put("lanyard.issuer", ISSUER);
        props.put("lanyard.kek", Base64.getEncoder().encodeToString(kek));
        props.put("lanyard.test.mutable-clock", "true");
        props.putAll(extra);
        context = ApplicationContext.builder().environments("cli", "test").deduceEnvironment(false)
                .properties(props).start();
        bean(KeyRotator.class).rotateIfDue();
        bean(KeyRingHolder.class).reload();
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    MutableClock clock() {
        return bean(MutableClock.class);
    }

    /** Registers the client (with a secret when it is confidential) and returns it as the registry holds it. */
    Client register(Client client) {
        bean(ClientService.class).create(client, !client.publicClient() && !client.usesPrivateKeyJwt()
                && !client.usesMutualTls());
        bean(ClientRegistry.class).reload();
        return bean(ClientRegistry.class).find(client.clientId()).orElseThrow();
    }

    User person(String username, String group) {
        if (bean(GroupService.class).find(group).isEmpty()) {
            bean(GroupService.class).create(new Group(group, null, "cli"));
        }
        return bean(UserService.class).create(new User(null, username, username + "@example.com", true,
                "The " + username, false), "correct horse battery staple", List.of(group)).user();
    }

    static Map<String, List<String>> form(String... nameValues) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            form.computeIfAbsent(nameValues[i], n -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
        }
        return form;
    }

    /** Verifies signature, issuer, expiry and {@code typ} with the published JWKS, as a resource server would. */
    JWTClaimsSet verify(String token, TokenKind kind) throws Exception {
        JWKSet published = JWKSet.parse(new String(bean(KeyRingHolder.class).current().jwks(), StandardCharsets.UTF_8));
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(kind.typ()));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                new ImmutableJWKSet<>(published)));
        JWTClaimsSet claims = processor.process(token, null);
        if (!ISSUER.equals(claims.getIssuer())) {
            throw new IllegalStateException("issuer " + claims.getIssuer());
        }
        return claims;
    }

    /** The RFC 6749 error code a handler refused with. */
    static String refusal(GrantHandler handler, GrantRequest request) {
        return assertThrows(OAuthException.class, () -> handler.handle(request)).error().getCode();
    }

    @Override
    public void afterAll(ExtensionContext extension) {
        context.close();
    }
}

package io.lanyard.keys;

import com.nimbusds.jose.JWSAlgorithm;
import io.lanyard.clients.ClientService;
import io.lanyard.config.TokenProperties;
import io.lanyard.oauth.ClockSkew;
import io.lanyard.storage.Database;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A retired key leaves the JWKS when, and only when, its last token and every cached JWKS have expired. */
class KeyRemovalEndToEndTest {

    @Test
    void retiredKeyIsRemovedAfterItsRetentionAndNotBefore() throws Exception {
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.freshPostgres());
        props.put("lanyard.test.mutable-clock", "true");
        try (LanyardServer server = LanyardServer.start(props)) {
            KeyRotator rotator = server.bean(KeyRotator.class);
            KeyRingHolder ring = server.bean(KeyRingHolder.class);
            MutableClock clock = server.bean(MutableClock.class);
            KeysProperties keys = server.bean(KeysProperties.class);
            Duration retention = server.bean(TokenProperties.class).maxLifetime().plus(keys.jwksMaxAge())
                    .plus(ClockSkew.TOLERANCE);

            String old = ring.current().signingKey(JWSAlgorithm.RS256, clock.instant()).kid();
            rotator.rotateNow(JWSAlgorithm.RS256, false);
            clock.advance(keys.prePublish().plusSeconds(1));
            ring.reload();
            assertTrue(server.get("/jwks").body().contains(old), "RETIRED, still published");

            clock.advance(retention.minusSeconds(10));
            rotator.rotateIfDue();
            ring.reload();
            assertTrue(server.get("/jwks").body().contains(old), "not removed before its retention has passed");

            clock.advance(Duration.ofSeconds(20));
            rotator.rotateIfDue();
            ring.reload();
            assertFalse(server.get("/jwks").body().contains(old), "removed once every token it signed has expired");
            StoredKey tombstone = server.bean(Database.class).query(c -> KeyStore.load(c, true)).stream()
                    .filter(k -> k.kid().equals(old)).findFirst().orElseThrow();
            assertNull(tombstone.privateKeyEnc(), "its private key is wiped");
            assertTrue(tombstone.removedAt() != null);
            assertTrue(server.bean(ClientService.class).find("demo").isPresent(), "dev start made the demo client");
        }
    }
}

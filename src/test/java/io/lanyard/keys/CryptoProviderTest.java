package io.lanyard.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import io.lanyard.config.LanyardConfigException;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite runs twice (see pom.xml): once with ACCP, once with the JDK. Both must sign what the JDK verifies. */
class CryptoProviderTest {
    static final String MODE = System.getProperty("lanyard.keys.provider", "auto");

    @Test
    void theRequestedPathIsTheOneInUse() {
        CryptoProvider crypto = CryptoProvider.select(MODE);
        if (MODE.equals("jdk")) {
            assertEquals(false, crypto.accelerated());
        } else if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
            assertTrue(crypto.accelerated(), "ACCP loads on linux-x86_64");
        }
    }

    @Test
    void signaturesVerifyWithTheJdk() throws Exception {
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        KeyMaterial material = new KeyMaterial(CryptoProvider.select(MODE), new KeyEncryptionKey(kek), 2048);
        for (JWSAlgorithm alg : KeyMaterial.SUPPORTED) {
            SigningKey key = material.open(material.generate(alg, Instant.now(), Instant.now()));
            JWSObject jws = new JWSObject(new JWSHeader(alg), new Payload("{\"sub\":\"x\"}"));
            jws.sign(key.signer());
            JWSObject parsed = JWSObject.parse(jws.serialize());
            assertTrue(parsed.verify(alg == JWSAlgorithm.RS256
                    ? new RSASSAVerifier(key.publicJwk().toRSAKey())
                    : new ECDSAVerifier(key.publicJwk().toECKey())), alg + " verifies with the JDK");
        }
    }

    @Test
    void unknownModeIsAConfigurationError() {
        assertThrows(LanyardConfigException.class, () -> CryptoProvider.select("fast"));
    }
}

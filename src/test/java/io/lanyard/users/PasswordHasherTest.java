package io.lanyard.users;

import io.lanyard.config.LanyardConfigException;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {
    static final PasswordHasher OWASP = new PasswordHasher(new PasswordProperties(19456, 2, 1));

    /**
     * Output of the reference implementation's CLI (phc-winner-argon2, Debian package argon2):
     * {@code echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32}; the same string is in
     * the reference's own tests.
     */
    static final String REFERENCE = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    /** {@code echo -n "correct horse battery staple" | argon2 0123456789abcdef -id -t 2 -k 19456 -p 1 -l 32 -e}. */
    static final String REFERENCE_OWASP =
            "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$gy5SuVm5Z7Vw7keB9se9p87QGcomaseB/S2U1OhTsM0";

    @Test
    void rfc9106Argon2idTestVector() {
        // RFC 9106 section 5.3: checks that Bouncy Castle is Argon2id version 0x13 as the RFC defines it
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(32).withIterations(3).withParallelism(4)
                .withSalt(filled(16, 0x02)).withSecret(filled(8, 0x03)).withAdditional(filled(12, 0x04))
                .build());
        byte[] tag = new byte[32];
        generator.generateBytes(filled(32, 0x01), tag);
        assertArrayEquals(HexFormat.of().parseHex(
                "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"), tag);
    }

    @Test
    void encodesExactlyAsTheReferenceImplementation() {
        assertEquals(REFERENCE, PasswordHasher.compute("password", 65536, 2, 1,
                "somesalt".getBytes(StandardCharsets.US_ASCII), 32).encode());
        assertEquals(REFERENCE_OWASP, PasswordHasher.compute("correct horse battery staple", 19456, 2, 1,
                "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), 32).encode());
    }

    @Test
    void verifiesReferenceHashesAndRefusesOthers() {
        assertTrue(OWASP.verify("password", REFERENCE));
        assertFalse(OWASP.verify("passwore", REFERENCE));
        assertTrue(OWASP.verify("correct horse battery staple", REFERENCE_OWASP));
        assertFalse(OWASP.needsRehash(REFERENCE_OWASP));
        assertTrue(OWASP.needsRehash(REFERENCE), "other parameters (and an 8-byte salt) are rehashed at login");
        assertFalse(OWASP.verify("password", null));
        assertFalse(OWASP.verify("password", REFERENCE.replace("argon2id", "argon2i")));
        assertFalse(OWASP.verify("password", REFERENCE + "="), "padding is not PHC");
    }

    @Test
    void newHashesAreSaltedPhcStringsWithTheConfiguredCost() {
        String first = OWASP.hash("s3cret-passphrase");
        String second = OWASP.hash("s3cret-passphrase");
        assertTrue(first.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), first);
        assertNotEquals(first, second, "a fresh salt each time");
        assertTrue(OWASP.verify("s3cret-passphrase", first));
        assertFalse(OWASP.verify("s3cret-passphrasE", first));
        assertFalse(OWASP.needsRehash(first));
        PasswordHasher stronger = new PasswordHasher(new PasswordProperties(47104, 1, 1));
        assertTrue(stronger.verify("s3cret-passphrase", first), "old hashes keep working after a change");
        assertTrue(stronger.needsRehash(first));
    }

    @Test
    void refusesParametersBelowTheOwaspFloor() {
        LanyardConfigException weak = assertThrows(LanyardConfigException.class,
                () -> new PasswordHasher(new PasswordProperties(4096, 3, 1)));
        assertTrue(weak.getMessage().startsWith("lanyard.passwords: memory-kib=4096, iterations=3 is below the OWASP"),
                weak.getMessage());
        assertThrows(LanyardConfigException.class, () -> new PasswordHasher(new PasswordProperties(19456, 1, 1)));
        assertThrows(LanyardConfigException.class, () -> new PasswordHasher(new PasswordProperties(19456, 2, 0)));
        assertThrows(LanyardConfigException.class, () -> new PasswordHasher(new PasswordProperties(1 << 21, 2, 1)));
        assertNotNull(new PasswordHasher(new PasswordProperties(7168, 5, 1)), "each OWASP row is accepted");
        assertNotNull(new PasswordHasher(new PasswordProperties(12288, 3, 1)));
    }

    @Test
    void hashesGivenByPeopleAreChecked() {
        assertNull(PasswordHasher.problemWith(REFERENCE));
        assertTrue(PasswordHasher.problemWith("$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")
                .contains("below the OWASP minimum"));
        assertTrue(PasswordHasher.problemWith("$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")
                .contains("PHC string"));
        assertTrue(PasswordHasher.problemWith("$argon2id$v=19$m=4294967295,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")
                .contains("m must be"), "a row cannot make a login allocate gigabytes");
        assertTrue(PasswordHasher.problemWith("$argon2id$v=19$m=65536,t=2,p=1$c29t$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")
                .contains("salt"));
        assertNotNull(PasswordHasher.problemWith("sha256:abc"));
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}

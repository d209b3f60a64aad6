package io.lanyard.users;

import io.lanyard.config.LanyardConfigException;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;

/**
 * Argon2id (RFC 9106) for people's passwords, with Bouncy Castle. A context bean so that
 * parameters below the OWASP floor stop the start, not the first login.
 */
@Context
public class PasswordHasher {
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;

    /**
     * OWASP Password Storage Cheat Sheet: these Argon2id settings are equally strong; a setting
     * must reach at least one of them in both memory (KiB) and iterations.
     */
    static final List<int[]> OWASP_MINIMA = List.of(new int[]{47104, 1}, new int[]{19456, 2},
            new int[]{12288, 3}, new int[]{9216, 4}, new int[]{7168, 5});

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PasswordProperties properties;
    /** Verified against when there is no hash to check, so a missing user costs the same time. */
    private volatile Argon2Hash dummy;

    public PasswordHasher(PasswordProperties properties) {
        String problem = weakness(properties.memoryKib(), properties.iterations(), properties.parallelism());
        if (problem != null) {
            throw new LanyardConfigException("lanyard.passwords: " + problem);
        }
        this.properties = properties;
    }

    /** A new PHC string with a fresh salt and the configured cost. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return compute(password, properties.memoryKib(), properties.iterations(), properties.parallelism(), salt,
                HASH_BYTES).encode();
    }

    /** True when the password matches; a malformed or missing hash costs one hash and is false. */
    public boolean verify(String password, @Nullable String phc) {
        Argon2Hash stored = phc == null ? null : Argon2Hash.parse(phc);
        if (stored == null) {
            burn(password);
            return false;
        }
        Argon2Hash presented = compute(password, stored.memoryKib(), stored.iterations(), stored.parallelism(),
                stored.salt(), stored.hash().length);
        return MessageDigest.isEqual(presented.hash(), stored.hash());
    }

    /** Spends the time of one verification with the configured cost, for logins with nothing to check. */
    public void burn(String password) {
        Argon2Hash d = dummy;
        if (d == null) {
            d = Argon2Hash.parse(hash("lanyard-dummy-password"));
            dummy = d;
        }
        byte[] presented = compute(password, d.memoryKib(), d.iterations(), d.parallelism(), d.salt(), HASH_BYTES).hash();
        MessageDigest.isEqual(presented, d.hash());
    }

    /** Whether a hash was made with other settings than the configured ones (then rehash at login). */
    public boolean needsRehash(String phc) {
        Argon2Hash h = Argon2Hash.parse(phc);
        return h == null || h.memoryKib() != properties.memoryKib() || h.iterations() != properties.iterations()
                || h.parallelism() != properties.parallelism() || h.salt().length != SALT_BYTES
                || h.hash().length != HASH_BYTES;
    }

    /** Why a hash given by a person (the declarative file) cannot be stored, or null. */
    public static String problemWith(String phc) {
        String problem = Argon2Hash.problem(phc);
        if (problem != null) {
            return problem;
        }
        Argon2Hash h = Argon2Hash.parse(phc);
        String weak = weakness(h.memoryKib(), h.iterations(), h.parallelism());
        return weak == null ? null : "the hash's " + weak;
    }

    /** Why these settings are too weak or too large, or null. */
    static String weakness(int memoryKib, int iterations, int parallelism) {
        if (parallelism < 1 || parallelism > Argon2Hash.MAX_PARALLELISM) {
            return "parallelism must be between 1 and " + Argon2Hash.MAX_PARALLELISM + " (OWASP: 1)";
        }
        if (memoryKib > Argon2Hash.MAX_MEMORY_KIB || iterations > Argon2Hash.MAX_ITERATIONS) {
            return "memory-kib must be at most " + Argon2Hash.MAX_MEMORY_KIB + " and iterations at most "
                    + Argon2Hash.MAX_ITERATIONS + " (every login would spend that much)";
        }
        for (int[] minimum : OWASP_MINIMA) {
            if (memoryKib >= minimum[0] && iterations >= minimum[1]) {
                return null;
            }
        }
        return "memory-kib=" + memoryKib + ", iterations=" + iterations + " is below the OWASP minimum for Argon2id; "
                + "use at least one of m=47104 t=1, m=19456 t=2, m=12288 t=3, m=9216 t=4, m=7168 t=5 (KiB, iterations)";
    }

    static Argon2Hash compute(String password, int memoryKib, int iterations, int parallelism, byte[] salt,
                              int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return new Argon2Hash(memoryKib, iterations, parallelism, salt, out);
    }
}

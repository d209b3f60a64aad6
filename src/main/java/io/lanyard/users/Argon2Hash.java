package io.lanyard.users;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Argon2id hash in the PHC string format the reference implementation writes:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, salt and hash in standard base64
 * without padding. Only version 19 (0x13) and no {@code keyid}/{@code data} fields.
 */
record Argon2Hash(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
    /** Limits on what a stored hash may ask for, so one row cannot make a login take minutes or gigabytes. */
    static final int MAX_MEMORY_KIB = 1 << 20;
    static final int MAX_ITERATIONS = 64;
    static final int MAX_PARALLELISM = 16;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(0|[1-9][0-9]{0,9}),t=(0|[1-9][0-9]{0,9}),p=(0|[1-9][0-9]{0,9})"
                    + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

    String encode() {
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /** The hash, or null with {@link #problem} saying why not. */
    static Argon2Hash parse(String phc) {
        return problem(phc) == null ? decode(phc) : null;
    }

    /** Why a string is not a usable hash, or null when it is. */
    static String problem(String phc) {
        Matcher m = phc == null ? null : PHC.matcher(phc);
        if (m == null || !m.matches()) {
            return "must be a PHC string $argon2id$v=19$m=…,t=…,p=…$<salt>$<hash> (base64 without padding)";
        }
        long memory = Long.parseLong(m.group(1));
        long iterations = Long.parseLong(m.group(2));
        long parallelism = Long.parseLong(m.group(3));
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            return "p must be between 1 and " + MAX_PARALLELISM;
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            return "t must be between 1 and " + MAX_ITERATIONS;
        }
        if (memory < 8 * parallelism || memory > MAX_MEMORY_KIB) {
            return "m must be between 8·p and " + MAX_MEMORY_KIB + " KiB";
        }
        Argon2Hash hash = decode(phc);
        if (hash == null) {
            return "salt and hash must be base64 without padding";
        }
        if (hash.salt.length < 8 || hash.salt.length > 64) {
            return "the salt must be 8 to 64 bytes";
        }
        if (hash.hash.length < 16 || hash.hash.length > 64) {
            return "the hash must be 16 to 64 bytes";
        }
        return null;
    }

    private static Argon2Hash decode(String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches() || m.group(4).length() % 4 == 1 || m.group(5).length() % 4 == 1) {
            return null;
        }
        try {
            return new Argon2Hash(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Base64.getDecoder().decode(m.group(4)),
                    Base64.getDecoder().decode(m.group(5)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package io.lanyard.keys;

import io.lanyard.config.LanyardConfigException;
import io.lanyard.config.LanyardProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Finds the key-encryption key: {@code LANYARD_KEK} (base64), else {@code LANYARD_KEK_FILE}, else
 * (dev profile only) a key generated once under the data directory.
 */
public final class KekLoader {
    private static final Logger LOG = LoggerFactory.getLogger(KekLoader.class);

    private KekLoader() {
    }

    public static KeyEncryptionKey load(LanyardProperties props) {
        if (props.kek() != null && !props.kek().isBlank()) {
            return new KeyEncryptionKey(decode(props.kek().trim(), "LANYARD_KEK"));
        }
        if (props.kekFile() != null && !props.kekFile().isBlank()) {
            return new KeyEncryptionKey(readFile(Path.of(props.kekFile()), "LANYARD_KEK_FILE"));
        }
        if (props.production()) {
            throw new LanyardConfigException("LANYARD_PROFILE=prod needs a key-encryption key: set LANYARD_KEK "
                    + "(base64 of 32 random bytes, e.g. `openssl rand -base64 32`) or LANYARD_KEK_FILE");
        }
        Path file = Path.of(props.dataDir(), "kek");
        if (Files.exists(file)) {
            return new KeyEncryptionKey(readFile(file, "the dev key-encryption key " + file));
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Files.createDirectories(file.getParent());
            try {
                // created owner-only, so the key is never readable by others, not even briefly
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
        } catch (IOException e) {
            throw new LanyardConfigException("cannot write the dev key-encryption key to " + file + ": " + e.getMessage());
        }
        LOG.warn("No LANYARD_KEK or LANYARD_KEK_FILE: generated a key-encryption key at {}. "
                + "Fine for development; in production give one from a Secret and set LANYARD_PROFILE=prod.", file);
        return new KeyEncryptionKey(key);
    }

    private static byte[] readFile(Path file, String what) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new LanyardConfigException("cannot read " + what + " (" + file + "): " + e.getMessage());
        }
        if (raw.length == 32) {
            return raw;
        }
        return decode(new String(raw, StandardCharsets.US_ASCII).trim(), what);
    }

    private static byte[] decode(String base64, String what) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new LanyardConfigException(what + " is not valid base64");
        }
        if (key.length != 32) {
            throw new LanyardConfigException(what + " must hold 32 bytes (AES-256), it holds " + key.length);
        }
        return key;
    }
}

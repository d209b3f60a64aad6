package io.lanyard.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of every published key. Which key signs is computed from the clock on
 * each call (a walk over two or three keys), so a PENDING key starts signing at its activation
 * instant on every replica without a reload.
 */
public final class KeyRing {
    private static final Comparator<SigningKey> NEWEST_FIRST = Comparator
            .comparing(SigningKey::activatesAt).thenComparing(SigningKey::createdAt).reversed();

    public static final KeyRing EMPTY = new KeyRing(List.of());

    private final Map<JWSAlgorithm, List<SigningKey>> byAlgorithm;
    private final Map<String, SigningKey> byKid;
    private final byte[] jwks;

    public KeyRing(List<SigningKey> keys) {
        Map<JWSAlgorithm, List<SigningKey>> grouped = new LinkedHashMap<>();
        Map<String, SigningKey> kids = new LinkedHashMap<>();
        List<JWK> published = new ArrayList<>();
        for (SigningKey key : keys.stream().sorted(NEWEST_FIRST).toList()) {
            grouped.computeIfAbsent(key.alg(), a -> new ArrayList<>()).add(key);
            kids.put(key.kid(), key);
            published.add(key.publicJwk().toPublicJWK());
        }
        grouped.replaceAll((alg, list) -> List.copyOf(list));
        this.byAlgorithm = Map.copyOf(grouped);
        this.byKid = Map.copyOf(kids);
        this.jwks = new JWKSet(published).toString(true).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The key that signs now: the newest one whose activation has come. Null when there is none,
     * or when this replica cannot open it: falling back to an older key would sign with a RETIRED
     * key past its retirement, and its tokens could outlive its place in the JWKS.
     */
    @Nullable
    public SigningKey signingKey(JWSAlgorithm alg, Instant now) {
        List<SigningKey> keys = byAlgorithm.get(alg);
        if (keys != null) {
            for (SigningKey key : keys) {
                if (!key.activatesAt().isAfter(now)) {
                    return key.canSign() ? key : null;
                }
            }
        }
        return null;
    }

    public Optional<SigningKey> byKid(String kid) {
        return Optional.ofNullable(byKid.get(kid));
    }

    /** The JWKS document, public parts only, serialised once per snapshot. */
    public byte[] jwks() {
        return jwks;
    }
}

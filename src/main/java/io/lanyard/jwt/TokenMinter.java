package io.lanyard.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import io.lanyard.keys.KeyRingHolder;
import io.lanyard.keys.SigningKey;
import io.lanyard.oauth.OAuthException;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Claims in, compact JWS out, signed by the key ring's active key for the algorithm. The
 * protected header of each (key, type) is serialised once; the payload is encoded with the JDK's
 * Base64 (an intrinsic) and signed by the key's Nimbus signer, which also turns ECDSA's DER
 * signature into the JOSE form. On the ES256 path this is most of the non-HTTP time per token.
 * <p>
 * Written by hand rather than with Nimbus's {@code SignedJWT} because the minting benchmark
 * ({@code bench/jmh.sh MintingBenchmark}, BENCHMARKS.md) showed the difference; it is a measured hot path.
 */
@Singleton
public class TokenMinter {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private record PreparedHeader(JWSHeader header, byte[] encoded) {
    }

    private final KeyRingHolder keys;
    private final Clock clock;
    private final Map<String, PreparedHeader> headers = new ConcurrentHashMap<>();

    public TokenMinter(KeyRingHolder keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    public String sign(JWSAlgorithm alg, TokenKind kind, byte[] claimsJson) {
        SigningKey key = keys.current().signingKey(alg, clock.instant());
        if (key == null) {
            throw OAuthException.temporarilyUnavailable("no signing key is active");
        }
        PreparedHeader prepared = headers.computeIfAbsent(key.kid() + ' ' + kind.name(), k -> {
            JWSHeader header = new JWSHeader.Builder(alg).type(kind.typ()).keyID(key.kid()).build();
            return new PreparedHeader(header, header.toBase64URL().toString().getBytes(StandardCharsets.US_ASCII));
        });
        byte[] payload = B64.encode(claimsJson);
        byte[] signingInput = new byte[prepared.encoded().length + 1 + payload.length];
        System.arraycopy(prepared.encoded(), 0, signingInput, 0, prepared.encoded().length);
        signingInput[prepared.encoded().length] = '.';
        System.arraycopy(payload, 0, signingInput, prepared.encoded().length + 1, payload.length);
        String signature;
        try {
            signature = key.signer().sign(prepared.header(), signingInput).toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("signing with key " + key.kid() + " failed", e);
        }
        return new StringBuilder(signingInput.length + 1 + signature.length())
                .append(new String(signingInput, StandardCharsets.US_ASCII)).append('.').append(signature).toString();
    }
}

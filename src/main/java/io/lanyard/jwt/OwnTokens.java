package io.lanyard.jwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.config.LanyardProperties;
import io.lanyard.keys.CryptoProvider;
import io.lanyard.keys.KeyRingHolder;
import io.lanyard.keys.SigningKey;
import io.lanyard.oauth.Base64Url;
import io.lanyard.oauth.ClockSkew;
import io.lanyard.revocation.RevokedTokens;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies a JWT this server signed (an access token at userinfo and token exchange, an
 * id_token_hint at logout): the kid must be in the key ring, the algorithm is the key's own (never
 * the header's choice alone), the signature is checked before the claims are parsed, and the
 * issuer and type must be ours, and a revoked token (RFC 7009) is refused wherever it is presented.
 * <p>
 * Our tokens carry one of a handful of protected headers (one per key and type), so a header that
 * came with a valid signature is remembered by its exact encoding and not parsed again; the key
 * is still looked up in the current ring on every call, so a removed key stops verifying at once.
 * Written by hand, not with Nimbus's JWT processor, because token exchange verifies two tokens per
 * request and the profile in BENCHMARKS.md put this path at its limit; a measured hot path.
 */
@Singleton
public class OwnTokens {
    private static final int MAX_TOKEN_CHARS = 16384;
    /** A bound on remembered headers; only headers of tokens that verified are remembered, a few per key. */
    private static final int MAX_REMEMBERED_HEADERS = 256;
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();

    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    private record Header(String kid, JWSAlgorithm alg, @Nullable JOSEObjectType type) {
    }

    private final KeyRingHolder keys;
    private final String issuer;
    private final Clock clock;
    private final OwnSignatures signatures;
    private final RevokedTokens revoked;
    private final Map<String, Header> headers = new ConcurrentHashMap<>();

    public OwnTokens(KeyRingHolder keys, LanyardProperties lanyard, Clock clock, CryptoProvider crypto,
                     RevokedTokens revoked) {
        this.keys = keys;
        this.revoked = revoked;
        this.issuer = lanyard.issuer();
        this.clock = clock;
        this.signatures = new OwnSignatures(crypto);
    }

    /**
     * @param kind         the kind of token expected here: its header must carry that kind's {@code typ}
     * @param checkExpiry  false for an id_token_hint, which may have expired (OIDC RP-Initiated Logout 2)
     */
    public JWTClaimsSet verify(@Nullable String token, TokenKind kind, boolean checkExpiry)
            throws InvalidTokenException {
        return verify(token, EnumSet.of(kind), checkExpiry);
    }

    /** As {@link #verify(String, TokenKind, boolean)}, where any of {@code kinds} is acceptable. */
    public JWTClaimsSet verify(@Nullable String token, Set<TokenKind> kinds, boolean checkExpiry)
            throws InvalidTokenException {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            throw new InvalidTokenException("no token");
        }
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            throw new InvalidTokenException("not a signed JWT");
        }
        // one token, one spelling: padding or stray bits would make a second string of the same token
        if (!Base64Url.isCanonicalCompact(token)) {
            throw new InvalidTokenException("not canonical base64url");
        }
        String encodedHeader = token.substring(0, firstDot);
        Header header = headers.get(encodedHeader);
        boolean parsed = header == null;
        if (parsed) {
            header = parseHeader(encodedHeader);
        }
        SigningKey key = keys.current().byKid(header.kid()).orElse(null);
        if (key == null || !key.alg().equals(header.alg())) {
            throw new InvalidTokenException("not signed by a key of this server");
        }
        if (!kinds.contains(TokenKind.of(header.type()))) {
            throw new InvalidTokenException("wrong token type");
        }
        byte[] signingInput = token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
        if (!signatures.verify(key, signingInput, decode(token.substring(secondDot + 1)))) {
            throw new InvalidTokenException("bad signature");
        }
        // remembered only once our key has signed it, so strangers cannot fill the map
        if (parsed && headers.size() < MAX_REMEMBERED_HEADERS) {
            headers.put(encodedHeader, header);
        }
        JWTClaimsSet claims;
        try {
            claims = JWTClaimsSet.parse(new String(decode(token.substring(firstDot + 1, secondDot)), StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new InvalidTokenException("not a signed JWT");
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new InvalidTokenException("issued by someone else");
        }
        // an id_token never names a client_id; a token exchange's JWT signed before these had their own
        // typ said JWT too, and must not pass for an id_token while it is still valid
        if (TokenKind.of(header.type()) == TokenKind.ID_TOKEN && claims.getClaim("client_id") != null) {
            throw new InvalidTokenException("not an id_token");
        }
        String jti = claims.getJWTID();
        if (jti != null && revoked.revoked(jti)) {
            throw new InvalidTokenException("revoked");
        }
        if (checkExpiry) {
            Date exp = claims.getExpirationTime();
            if (exp == null || !exp.toInstant().plus(ClockSkew.TOLERANCE).isAfter(Instant.now(clock))) {
                throw new InvalidTokenException("expired");
            }
        }
        return claims;
    }

    private static Header parseHeader(String encoded) throws InvalidTokenException {
        JWSHeader parsed;
        try {
            parsed = JWSHeader.parse(new Base64URL(encoded));
        } catch (ParseException e) {
            throw new InvalidTokenException("not a signed JWT");
        }
        if (parsed.getKeyID() == null) {
            throw new InvalidTokenException("not signed by a key of this server");
        }
        return new Header(parsed.getKeyID(), parsed.getAlgorithm(), parsed.getType());
    }

    private static byte[] decode(String base64url) throws InvalidTokenException {
        try {
            return B64.decode(base64url);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("not a signed JWT");
        }
    }
}

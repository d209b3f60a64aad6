package io.lanyard.introspection;

import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.Client;
import io.lanyard.jwt.OwnTokens;
import io.lanyard.jwt.TokenKind;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.OpaqueTokens;
import io.lanyard.revocation.RevokedTokens;
import io.lanyard.storage.Database;
import io.lanyard.token.RefreshFamilies;
import io.lanyard.token.RefreshTokens;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;

/**
 * RFC 7009. A refresh token ends with its whole family and the access tokens the family issued
 * (2.1: "SHOULD also invalidate all access tokens based on the same authorization grant"); an
 * access token is listed by {@code jti} until it would have expired. Only the client a token was
 * issued to may revoke it. A token that is unknown, malformed, expired or already revoked needs no
 * revoking, and the answer is the same 200 (2.2).
 */
@Singleton
public class Revocation {
    private static final Logger LOG = LoggerFactory.getLogger(Revocation.class);

    private final OwnTokens ownTokens;
    private final RevokedTokens revoked;
    private final RefreshFamilies families;
    private final Database database;

    public Revocation(OwnTokens ownTokens, RevokedTokens revoked, RefreshFamilies families, Database database) {
        this.ownTokens = ownTokens;
        this.revoked = revoked;
        this.families = families;
        this.database = database;
    }

    public void revoke(Client caller, String token) {
        if (TokenTypeHint.looksLikeJwt(token)) {
            accessToken(caller, token);
        } else {
            refreshToken(caller, token);
        }
    }

    private void accessToken(Client caller, String token) {
        JWTClaimsSet claims;
        try {
            // without the expiry check: an expired token has nothing to revoke, yet is still only its client's
            claims = ownTokens.verify(token, TokenKind.WITH_ACCESS_CLAIMS, false);
        } catch (OwnTokens.InvalidTokenException e) {
            return;
        }
        String clientId;
        try {
            clientId = claims.getStringClaim("client_id");
        } catch (ParseException e) {
            return;
        }
        checkIssuedTo(caller, clientId);
        if (claims.getJWTID() == null || claims.getExpirationTime() == null) {
            return; // every access token Lanyard signs has both
        }
        revoked.revoke(claims.getJWTID(), claims.getExpirationTime().toInstant());
    }

    private void refreshToken(Client caller, String token) {
        RefreshTokens.Stored stored = database.query(c -> RefreshTokens.find(c, OpaqueTokens.digest(token)))
                .orElse(null);
        if (stored == null) {
            return;
        }
        checkIssuedTo(caller, stored.clientId());
        if (stored.revokedAt() == null) {
            families.revoke(stored.familyId(), "revoked by client " + caller.clientId() + " (RFC 7009)");
        }
    }

    /** RFC 7009 2.1: the request is refused when the token was issued to another client. */
    private static void checkIssuedTo(Client caller, String clientId) {
        if (!caller.clientId().equals(clientId)) {
            LOG.info("revocation refused: client {} presented a token issued to another client", caller.clientId());
            throw OAuthException.unauthorizedClient("the token was not issued to this client");
        }
    }
}

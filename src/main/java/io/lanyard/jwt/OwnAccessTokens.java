package io.lanyard.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.AccessTokenTyp;
import io.lanyard.clients.ClientRegistry;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.text.ParseException;

/**
 * Lanyard's access tokens where its own endpoints expect one (userinfo, a token exchange's
 * {@code access_token}): RFC 9068's {@code at+jwt}, or the same claims without {@code typ} from a client
 * registered with {@code accessTokenTyp: none}. An untyped token of any other client is what it always was,
 * a token exchange's plain JWT, and is no access token here: clients that keep {@code at+jwt} keep their
 * kinds apart.
 */
@Singleton
public class OwnAccessTokens {

    private final OwnTokens tokens;
    private final ClientRegistry clients;

    public OwnAccessTokens(OwnTokens tokens, ClientRegistry clients) {
        this.tokens = tokens;
        this.clients = clients;
    }

    public JWTClaimsSet verify(@Nullable String token) throws OwnTokens.InvalidTokenException {
        try {
            // a typed token, the usual case, is verified once
            return tokens.verify(token, TokenKind.ACCESS_TOKEN, true);
        } catch (OwnTokens.InvalidTokenException notTyped) {
            // the same checks with both kinds allowed: what fails now is the token, not its typ, so the
            // refusal names the real reason; only a refused token pays for a second look
            JWTClaimsSet claims = tokens.verify(token, TokenKind.WITH_ACCESS_CLAIMS, true);
            if (!untypedClient(claims)) {
                throw new OwnTokens.InvalidTokenException("no typ, from a client whose access tokens are at+jwt");
            }
            return claims;
        }
    }

    private boolean untypedClient(JWTClaimsSet claims) {
        try {
            String clientId = claims.getStringClaim("client_id");
            return clientId != null && clients.find(clientId)
                    .filter(c -> c.accessTokenTyp() == AccessTokenTyp.NONE).isPresent();
        } catch (ParseException e) {
            return false;
        }
    }
}

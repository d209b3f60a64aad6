package io.lanyard.token;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.lanyard.clients.Client;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.OpaqueTokens;
import io.lanyard.storage.Database;
import io.lanyard.token.AuthorizationCodes.IssuedCode;
import io.lanyard.users.User;
import io.lanyard.users.UserSource;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * RFC 6749 4.1.3 with RFC 7636: the code is redeemed by exactly one conditional UPDATE. A code
 * presented again is a sign it leaked, so what its redemption issued is revoked: the access token
 * and the refresh-token family (RFC 6749 4.1.2).
 */
@Singleton
public class AuthorizationCodeGrant implements GrantHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationCodeGrant.class);
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private final Database database;
    private final UserSource users;
    private final Redemptions redemptions;
    private final RefreshFamilies families;
    private final Clock clock;

    AuthorizationCodeGrant(Database database, UserSource users, Redemptions redemptions, RefreshFamilies families,
                           Clock clock) {
        this.database = database;
        this.users = users;
        this.redemptions = redemptions;
        this.families = families;
        this.clock = clock;
    }

    @Override
    public String grantType() {
        return GrantTypes.AUTHORIZATION_CODE;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public IssuedToken handle(GrantRequest request) {
        Client client = request.client();
        String code = request.parameter("code");
        String redirectUri = request.parameter("redirect_uri");
        String verifier = request.parameter("code_verifier");
        if (code == null) {
            throw OAuthException.invalidRequest("code is missing");
        }
        if (redirectUri == null) {
            throw OAuthException.invalidRequest("redirect_uri is missing");
        }
        checkVerifierSyntax(verifier);
        String codeHash = OpaqueTokens.digest(code);
        Instant now = clock.instant();
        IssuedCode issued = database.query(c -> AuthorizationCodes.find(c, codeHash)).orElseThrow(() -> invalid("unknown"));
        if (!issued.clientId().equals(client.clientId())) {
            // checked first: another client presenting a used code proves nothing about the code's
            // own client, and must not be able to end its user's session
            throw invalid("issued to another client");
        }
        if (issued.redeemedAt() != null) {
            families.revokeRedemption(codeHash, issued.familyId(), "authorization code presented a second time");
            throw invalid("already redeemed");
        }
        if (!issued.expiresAt().isAfter(now)) {
            throw invalid("expired");
        }
        if (!issued.redirectUri().equals(redirectUri)) {
            throw invalid("redirect_uri differs from the authorization request");
        }
        checkPkce(issued.codeChallenge(), verifier);
        User user = users.findById(issued.userId()).filter(u -> !u.disabled()).orElseThrow(() -> invalid("user disabled"));
        UserAuthorization granted = new UserAuthorization(user, issued.scope(), issued.authTime(), issued.nonce());
        Optional<IssuedToken> answer = redemptions.issue(request, client, granted, now,
                (c, familyId, access) -> AuthorizationCodes.redeem(c, codeHash, now, familyId, access));
        if (answer.isEmpty()) {
            // another request redeemed it between our read and our update
            IssuedCode winner = database.query(c -> AuthorizationCodes.find(c, codeHash)).orElse(issued);
            families.revokeRedemption(codeHash, winner.familyId(), "authorization code redeemed twice at once");
            throw invalid("already redeemed");
        }
        return answer.get();
    }

    static void checkVerifierSyntax(String verifier) {
        if (verifier != null && !VERIFIER.matcher(verifier).matches()) {
            throw OAuthException.invalidRequest("code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~");
        }
    }

    /** RFC 7636 4.6; a verifier for a request that had no challenge is refused (RFC 9700 2.1.1). */
    static void checkPkce(String challenge, String verifier) {
        if (challenge == null) {
            if (verifier != null) {
                throw OAuthException.invalidGrant("code_verifier sent but the authorization request had no code_challenge");
            }
            return;
        }
        if (verifier == null) {
            throw OAuthException.invalidGrant("code_verifier is required");
        }
        String computed = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue();
        if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                challenge.getBytes(StandardCharsets.US_ASCII))) {
            throw OAuthException.invalidGrant("code_verifier does not match the code_challenge");
        }
    }

    private static OAuthException invalid(String reason) {
        LOG.info("authorization code refused: {}", reason);
        return OAuthException.invalidGrant("the authorization code is invalid, expired or already used");
    }
}

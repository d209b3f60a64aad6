package io.lanyard.userinfo;

import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.jwt.ClaimsWriter;
import io.lanyard.jwt.OwnAccessTokens;
import io.lanyard.jwt.OwnTokens;
import io.lanyard.jwt.UserClaims;
import io.lanyard.users.User;
import io.lanyard.users.UserSource;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Set;

/**
 * The claims an access token's scope releases about its user, read fresh from the user source:
 * a disabled user's still-valid access token gets nothing.
 */
@Singleton
public class UserInfo {

    /** Messages are fixed strings: they end up in a header. */
    public static final class Refusal extends Exception {
        private final boolean insufficientScope;

        Refusal(String message, boolean insufficientScope) {
            super(message, null, false, false);
            this.insufficientScope = insufficientScope;
        }

        public boolean insufficientScope() {
            return insufficientScope;
        }
    }

    private final OwnAccessTokens accessTokens;
    private final UserSource users;

    public UserInfo(OwnAccessTokens accessTokens, UserSource users) {
        this.accessTokens = accessTokens;
        this.users = users;
    }

    public String claims(String accessToken) throws Refusal {
        JWTClaimsSet token;
        Set<String> scope;
        try {
            token = accessTokens.verify(accessToken);
            String scopeClaim = token.getStringClaim("scope");
            scope = scopeClaim == null ? Set.of() : Set.of(scopeClaim.split(" "));
        } catch (OwnTokens.InvalidTokenException | ParseException e) {
            throw new Refusal("the access token is invalid or expired", false);
        }
        if (!scope.contains("openid")) {
            throw new Refusal("the access token was not granted the openid scope", true);
        }
        User user = users.findById(token.getSubject()).filter(u -> !u.disabled())
                .orElseThrow(() -> new Refusal("the access token is invalid or expired", false));
        List<String> groups = scope.contains("groups") ? users.groupsOf(user.id()) : List.of();
        ClaimsWriter claims = new ClaimsWriter().string("sub", user.id());
        UserClaims.write(claims, user, groups, scope);
        return new String(claims.toJson(), StandardCharsets.UTF_8);
    }
}

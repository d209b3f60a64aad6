package io.lanyard.token;

import com.nimbusds.oauth2.sdk.Scope;
import io.lanyard.clients.Client;
import io.lanyard.config.LanyardProperties;
import io.lanyard.users.User;
import io.lanyard.users.UserSource;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.TreeSet;

/**
 * The tokens a person's login yields: an access token for the client's audiences (or, when it has
 * none, for this server's own userinfo), and an id_token when {@code openid} was granted. Groups
 * are read at every issue, so a refresh reflects today's membership.
 */
@Singleton
public class UserTokens {
    private final AccessTokenIssuer accessTokens;
    private final IdTokenIssuer idTokens;
    private final UserSource users;
    private final String issuer;

    public UserTokens(AccessTokenIssuer accessTokens, IdTokenIssuer idTokens, UserSource users, LanyardProperties lanyard) {
        this.accessTokens = accessTokens;
        this.idTokens = idTokens;
        this.users = users;
        this.issuer = lanyard.issuer();
    }

    public IssuedToken issue(GrantRequest request, Client client, UserAuthorization authorization,
                             @Nullable String refreshToken) {
        User user = authorization.user();
        Scope granted = new Scope(new TreeSet<>(authorization.scope()).toArray(String[]::new));
        List<String> audience = client.audiences().isEmpty() ? List.of(issuer) : client.audiences().stream().sorted().toList();
        IssuedToken access = accessTokens.issue(AccessTokenSpec.of(request, client, user.id(), audience, granted));
        String idToken = null;
        if (authorization.scope().contains("openid")) {
            idToken = idTokens.issue(client, authorization, users.groupsOf(user.id()), access.accessToken());
        }
        return new IssuedToken(request.grantType(), access.accessToken(), access.expiresIn(), granted, refreshToken,
                idToken, null, access.accessTokenId());
    }
}

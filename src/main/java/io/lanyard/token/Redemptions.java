package io.lanyard.token;

import io.lanyard.clients.Client;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.OpaqueTokens;
import io.lanyard.storage.Database;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * A person's tokens from a single-use grant (an authorization code, a device code). They are signed
 * before the grant is redeemed, so that the redemption can record which access token it gave out
 * and a replay can revoke it; the redemption and the start of the refresh family (with
 * {@code offline_access}) are one transaction. A request that loses the race throws its tokens away.
 */
@Singleton
class Redemptions {

    /** Marks the grant used, recording what it issued; true for exactly one caller. */
    interface Redeem {
        boolean redeem(Connection c, @Nullable String familyId, AccessTokenId access) throws SQLException;
    }

    private final Database database;
    private final UserTokens tokens;
    private final RefreshFamilies families;

    Redemptions(Database database, UserTokens tokens, RefreshFamilies families) {
        this.database = database;
        this.tokens = tokens;
        this.families = families;
    }

    /** The tokens, or empty when another request redeemed the grant first. */
    Optional<IssuedToken> issue(GrantRequest request, Client client, UserAuthorization granted, Instant now,
                                Redeem redeem) {
        boolean refresh = granted.scope().contains("offline_access") && client.allowsGrant(GrantTypes.REFRESH_TOKEN);
        String refreshToken = refresh ? OpaqueTokens.generate() : null;
        IssuedToken answer = tokens.issue(request, client, granted, refreshToken);
        String familyId = refresh ? OpaqueTokens.id() : null;
        boolean redeemed = database.inTransaction(c -> {
            if (!redeem.redeem(c, familyId, answer.accessTokenId())) {
                return false;
            }
            if (refresh) {
                families.start(c, familyId, refreshToken, client, granted, answer.accessTokenId(), now);
            }
            return true;
        });
        return redeemed ? Optional.of(answer) : Optional.empty();
    }
}

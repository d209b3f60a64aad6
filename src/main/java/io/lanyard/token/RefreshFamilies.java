package io.lanyard.token;

import io.lanyard.clients.Client;
import io.lanyard.config.TokenProperties;
import io.lanyard.revocation.RevocationStore;
import io.lanyard.revocation.RevokedTokens;
import io.lanyard.storage.Database;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Starting and ending refresh-token families, with the lifetimes from configuration. */
@Singleton
public class RefreshFamilies {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshFamilies.class);

    private final Database database;
    private final RevokedTokens revokedTokens;
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;

    public RefreshFamilies(Database database, Clock clock, TokenProperties tokens, RevokedTokens revokedTokens) {
        this.database = database;
        this.revokedTokens = revokedTokens;
        this.clock = clock;
        this.idle = tokens.refreshIdleLifetime();
        this.absolute = tokens.refreshMaxLifetime();
    }

    /**
     * Stores the first token of a family, in the caller's transaction (the one that redeems the code
     * or device code), with the access token issued beside it.
     */
    public void start(Connection c, String familyId, String refreshToken, Client client, UserAuthorization granted,
                      AccessTokenId access, Instant now) throws SQLException {
        Instant familyExpires = now.plus(absolute);
        // sweeping on each login keeps the table to live families without a scheduler
        RefreshTokens.deleteExpired(c, now.minus(Duration.ofDays(1)));
        RefreshTokens.insert(c, new RefreshTokens.NewToken(refreshToken, familyId, client.clientId(),
                granted.user().id(), granted.scope(), granted.authTime(), now, next(now, familyExpires), familyExpires,
                access));
    }

    /** The next token's expiry: idle lifetime from now, never past the family's end. */
    public Instant next(Instant now, Instant familyExpires) {
        Instant idleEnd = now.plus(idle);
        return idleEnd.isBefore(familyExpires) ? idleEnd : familyExpires;
    }

    /**
     * Revokes the family and the access tokens it issued, in its own transaction, so it holds even
     * when the request that found the reuse fails.
     */
    public void revoke(@Nullable String familyId, String reason) {
        if (familyId == null) {
            return;
        }
        int revoked = database.inTransaction(c -> RefreshTokens.revokeFamily(c, familyId, clock.instant()));
        revokedTokens.refresh();
        LOG.warn("refresh token family {} revoked ({} tokens): {}", familyId, revoked, reason);
    }

    /**
     * A code presented again: what its redemption issued, the access token as well as the refresh
     * family, is revoked (RFC 6749 4.1.2).
     */
    public void revokeRedemption(String codeHash, @Nullable String familyId, String reason) {
        Instant now = clock.instant();
        int revoked = database.inTransaction(c -> {
            RevocationStore.revokeCodeAccess(c, codeHash, now);
            return familyId == null ? 0 : RefreshTokens.revokeFamily(c, familyId, now);
        });
        revokedTokens.refresh();
        LOG.warn("authorization code's grant revoked (access token and {} refresh tokens): {}", revoked, reason);
    }
}

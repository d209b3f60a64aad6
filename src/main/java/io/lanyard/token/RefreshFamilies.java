package io.lanyard.token;

import io.lanyard.clients.Client;
import io.lanyard.config.TokenProperties;
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
import java.util.Set;

/** Starting and ending refresh-token families, with the lifetimes from configuration. */
@Singleton
public class RefreshFamilies {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshFamilies.class);

    private final Database database;
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;

    public RefreshFamilies(Database database, Clock clock, TokenProperties tokens) {
        this.database = database;
        this.clock = clock;
        this.idle = tokens.refreshIdleLifetime();
        this.absolute = tokens.refreshMaxLifetime();
    }

    /** The first token of a family, in the caller's transaction (the one that redeems the code). */
    public String start(Connection c, String familyId, Client client, String userId, Set<String> scope,
                        Instant authTime, Instant now) throws SQLException {
        Instant familyExpires = now.plus(absolute);
        // sweeping on each login keeps the table to live families without a scheduler
        RefreshTokens.deleteExpired(c, now.minus(Duration.ofDays(1)));
        return RefreshTokens.create(c, familyId, client.clientId(), userId, scope, authTime, now, next(now, familyExpires),
                familyExpires);
    }

    /** The next token's expiry: idle lifetime from now, never past the family's end. */
    public Instant next(Instant now, Instant familyExpires) {
        Instant idleEnd = now.plus(idle);
        return idleEnd.isBefore(familyExpires) ? idleEnd : familyExpires;
    }

    /** Revokes in its own transaction, so it holds even when the request that found the reuse fails. */
    public void revoke(@Nullable String familyId, String reason) {
        if (familyId == null) {
            return;
        }
        int revoked = database.inTransaction(c -> RefreshTokens.revokeFamily(c, familyId, clock.instant()));
        LOG.warn("refresh token family {} revoked ({} tokens): {}", familyId, revoked, reason);
    }
}

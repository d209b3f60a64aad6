package io.lanyard.token;


import io.lanyard.config.TokenProperties;
import io.lanyard.oauth.OpaqueTokens;
import io.lanyard.storage.Database;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static io.lanyard.storage.SqlTimes.instant;
import static io.lanyard.storage.SqlTimes.utc;

/** Authorization codes: stored as digests, redeemed once by a conditional UPDATE. */
@Singleton
public class AuthorizationCodes {

    /**
     * What a person approved in the browser, to be redeemed at the token endpoint.
     *
     * @param codeChallenge RFC 7636 S256 challenge; null only for confidential clients that sent none
     */
    public record Approval(String clientId, String userId, String redirectUri, Set<String> scope,
                           @Nullable String nonce, @Nullable String codeChallenge, Instant authTime) {
        public Approval {
            scope = Set.copyOf(scope);
        }
    }

    /** What the code was issued for; the token endpoint checks every field against the redemption. */
    public record IssuedCode(String codeHash, String clientId, String userId, String redirectUri, Set<String> scope,
                             @Nullable String nonce, @Nullable String codeChallenge, Instant authTime,
                             Instant expiresAt, @Nullable Instant redeemedAt, @Nullable String familyId) {
    }

    private final Database database;
    private final Clock clock;
    private final Duration lifetime;

    public AuthorizationCodes(Database database, Clock clock, TokenProperties tokens) {
        this.database = database;
        this.clock = clock;
        this.lifetime = tokens.codeLifetime();
    }

    public String issue(Approval approval) {
        String code = OpaqueTokens.generate();
        Instant now = clock.instant();
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO authorization_codes (code_hash, client_id, "
                    + "user_id, redirect_uri, scope, nonce, code_challenge, auth_time, expires_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, OpaqueTokens.digest(code));
                ps.setString(2, approval.clientId());
                ps.setString(3, approval.userId());
                ps.setString(4, approval.redirectUri());
                ps.setString(5, String.join(" ", new TreeSet<>(approval.scope())));
                ps.setString(6, approval.nonce());
                ps.setString(7, approval.codeChallenge());
                ps.setObject(8, utc(approval.authTime()));
                ps.setObject(9, utc(now.plus(lifetime)));
                ps.executeUpdate();
            }
            // expired codes are of no use to anyone; each issue sweeps a few
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM authorization_codes WHERE expires_at < ?")) {
                ps.setObject(1, utc(now.minus(Duration.ofHours(1))));
                ps.executeUpdate();
            }
            return null;
        });
        return code;
    }

    public static Optional<IssuedCode> find(Connection c, String codeHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT code_hash, client_id, user_id, redirect_uri, scope, "
                + "nonce, code_challenge, auth_time, expires_at, redeemed_at, family_id "
                + "FROM authorization_codes WHERE code_hash = ?")) {
            ps.setString(1, codeHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new IssuedCode(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Set.of(rs.getString(5).isEmpty() ? new String[0] : rs.getString(5).split(" ")),
                        rs.getString(6), rs.getString(7), instant(rs, 8), instant(rs, 9), instant(rs, 10),
                        rs.getString(11)));
            }
        }
    }

    /** True for exactly one caller, however many replicas race for the same code. */
    public static boolean redeem(Connection c, String codeHash, Instant now, @Nullable String familyId,
                                 AccessTokenId access) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE authorization_codes SET redeemed_at = ?, family_id = ?, "
                + "access_jti = ?, access_expires_at = ? WHERE code_hash = ? AND redeemed_at IS NULL AND expires_at > ?")) {
            ps.setObject(1, utc(now));
            ps.setString(2, familyId);
            ps.setString(3, access.jti());
            ps.setObject(4, utc(access.expiresAt()));
            ps.setString(5, codeHash);
            ps.setObject(6, utc(now));
            return ps.executeUpdate() == 1;
        }
    }


}

package io.lanyard.authorize;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.keys.KeyEncryptionKey;
import io.lanyard.oauth.OpaqueTokens;
import io.lanyard.storage.Database;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static io.lanyard.storage.SqlTimes.instant;
import static io.lanyard.storage.SqlTimes.utc;

/**
 * Browsers sent to an upstream and not yet back, in the database so that any replica can take the
 * callback. The state is stored as its digest; what the callback needs (the nonce, the PKCE verifier,
 * what to resume) is sealed under the KEK with the state's digest as associated data.
 */
@Singleton
public class UpstreamLogins {
    /** Time to sign in at the upstream; a callback after it is a stale one. */
    static final Duration LIFETIME = Duration.ofMinutes(10);

    /**
     * What a callback finds. {@code resume} is what {@link UpstreamLogin.Resume} encodes; {@code wanted}
     * and {@code startedAt} let the callback check that a fresh login asked for was one.
     */
    public record Pending(String connectorId, String browserHash, String nonce, String codeVerifier,
                          Map<String, String> resume, UpstreamLogin.Wanted wanted, Instant startedAt) {
    }

    private final Database database;
    private final KeyEncryptionKey kek;
    private final Clock clock;

    public UpstreamLogins(Database database, KeyEncryptionKey kek, Clock clock) {
        this.database = database;
        this.kek = kek;
        this.clock = clock;
    }

    /** Keeps a pending login under {@code state}; clears the ones that expired. */
    public void put(String state, Pending pending) {
        String stateHash = OpaqueTokens.digest(state);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("nonce", pending.nonce());
        payload.put("code_verifier", pending.codeVerifier());
        payload.put("resume", pending.resume());
        payload.put("offline", pending.wanted().offline());
        payload.put("force_login", pending.wanted().forceLogin());
        payload.put("max_age", pending.wanted().maxAge());
        payload.put("started_at", pending.startedAt().toEpochMilli());
        byte[] sealed = kek.seal(JSONObjectUtils.toJSONString(payload).getBytes(StandardCharsets.UTF_8), stateHash);
        Instant now = clock.instant();
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO upstream_logins "
                    + "(state_hash, browser_hash, connector_id, sealed, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, stateHash);
                ps.setString(2, pending.browserHash());
                ps.setString(3, pending.connectorId());
                ps.setBytes(4, sealed);
                ps.setObject(5, utc(now.plus(LIFETIME)));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM upstream_logins WHERE expires_at < ?")) {
                ps.setObject(1, utc(now));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Takes the pending login a callback's state names, at most once over all replicas: the row is
     * deleted in the same transaction, and only the deleting transaction gets it.
     */
    public Optional<Pending> take(String state) {
        String stateHash = OpaqueTokens.digest(state);
        Instant now = clock.instant();
        return database.inTransaction(c -> {
            String connectorId;
            String browserHash;
            byte[] sealed;
            Instant expiresAt;
            try (PreparedStatement ps = c.prepareStatement("SELECT connector_id, browser_hash, sealed, expires_at "
                    + "FROM upstream_logins WHERE state_hash = ?")) {
                ps.setString(1, stateHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    connectorId = rs.getString(1);
                    browserHash = rs.getString(2);
                    sealed = rs.getBytes(3);
                    expiresAt = instant(rs, 4);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM upstream_logins WHERE state_hash = ?")) {
                ps.setString(1, stateHash);
                if (ps.executeUpdate() != 1 || !expiresAt.isAfter(now)) {
                    return Optional.empty();
                }
            }
            return open(stateHash, connectorId, browserHash, sealed);
        });
    }

    @SuppressWarnings("unchecked")
    private Optional<Pending> open(String stateHash, String connectorId, String browserHash, byte[] sealed) {
        try {
            Map<String, Object> payload = JSONObjectUtils.parse(new String(kek.open(sealed, stateHash),
                    StandardCharsets.UTF_8));
            Map<String, String> resume = new LinkedHashMap<>();
            ((Map<String, Object>) payload.get("resume")).forEach((k, v) -> resume.put(k, (String) v));
            Number maxAge = (Number) payload.get("max_age");
            UpstreamLogin.Wanted wanted = new UpstreamLogin.Wanted(Boolean.TRUE.equals(payload.get("offline")),
                    Boolean.TRUE.equals(payload.get("force_login")), maxAge == null ? null : maxAge.longValue());
            return Optional.of(new Pending(connectorId, browserHash, (String) payload.get("nonce"),
                    (String) payload.get("code_verifier"), resume, wanted,
                    Instant.ofEpochMilli(((Number) payload.get("started_at")).longValue())));
        } catch (GeneralSecurityException | java.text.ParseException | RuntimeException e) {
            // sealed under another KEK (a rotation between leaving and coming back): as good as expired
            return Optional.empty();
        }
    }
}

package io.lanyard.token;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.Scope;
import io.lanyard.clients.Client;
import io.lanyard.config.TokenProperties;
import io.lanyard.keys.KeyEncryptionKey;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.OpaqueTokens;
import io.lanyard.storage.Database;
import io.lanyard.users.UpstreamRecheck;
import io.lanyard.users.User;
import io.lanyard.users.UserSource;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 6749 section 6 with rotation (RFC 9700 4.14.2). Each use marks the token rotated with one
 * conditional UPDATE and stores the answer sealed under the KEK. The same token presented again
 * within the grace window (two kubectl processes refreshing at once, a retry after a dropped
 * connection) gets that same answer; after the window it is reuse, and the whole family dies.
 */
@Singleton
public class RefreshTokenGrant implements GrantHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenGrant.class);
    private static final String INVALID = "the refresh token is invalid, expired or revoked";

    private final Database database;
    private final UserSource users;
    private final UserTokens tokens;
    private final RefreshFamilies families;
    private final KeyEncryptionKey kek;
    private final Clock clock;
    private final Duration grace;
    private final UpstreamRecheck recheck;

    public RefreshTokenGrant(Database database, UserSource users, UserTokens tokens, RefreshFamilies families,
                             KeyEncryptionKey kek, Clock clock, TokenProperties properties, UpstreamRecheck recheck) {
        this.database = database;
        this.users = users;
        this.tokens = tokens;
        this.families = families;
        this.kek = kek;
        this.clock = clock;
        this.grace = properties.refreshGrace();
        this.recheck = recheck;
    }

    @Override
    public String grantType() {
        return GrantTypes.REFRESH_TOKEN;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    private sealed interface Result {
    }

    private record Issued(IssuedToken token) implements Result {
    }

    private record Replayed(byte[] sealed, String tokenHash, Instant rotatedAt) implements Result {
    }

    private record Refused(String reason, String revokeFamily) implements Result {
    }

    @Override
    public IssuedToken handle(GrantRequest request) {
        String presented = request.parameter("refresh_token");
        if (presented == null) {
            throw OAuthException.invalidRequest("refresh_token is missing");
        }
        String hash = OpaqueTokens.digest(presented);
        Result result = rotate(request, hash);
        if (result instanceof Issued issued) {
            return issued.token();
        }
        if (result instanceof Replayed replayed) {
            LOG.info("refresh token presented again within the grace window: same response");
            return replay(replayed);
        }
        Refused refused = (Refused) result;
        LOG.info("refresh token refused: {}", refused.reason());
        if (refused.revokeFamily() != null) {
            families.revoke(refused.revokeFamily(), refused.reason());
        }
        throw OAuthException.invalidGrant(INVALID);
    }

    /**
     * Everything that needs another connection (the user, their groups) and the signing happen
     * before the transaction, so a refresh holds one pooled connection at a time and its row lock
     * only for the few statements that rotate the token. A request that loses the race throws
     * its freshly minted tokens away and answers with the winner's.
     */
    private Result rotate(GrantRequest request, String hash) {
        Client client = request.client();
        Instant now = clock.instant();
        RefreshTokens.Stored stored = database.query(c -> RefreshTokens.find(c, hash)).orElse(null);
        if (stored == null) {
            return new Refused("unknown", null);
        }
        if (!stored.clientId().equals(client.clientId())) {
            return new Refused("issued to another client", null);
        }
        Set<String> scope = narrowed(stored.scope(), request.parameter("scope"));
        if (stored.rotatedAt() != null) {
            return afterRotation(stored, now);
        }
        if (stored.revokedAt() != null || !stored.expiresAt().isAfter(now) || !stored.familyExpiresAt().isAfter(now)) {
            return new Refused("expired or revoked", null);
        }
        User found = users.findById(stored.userId()).filter(u -> !u.disabled()).orElse(null);
        if (found == null) {
            return new Refused("the user is disabled or deleted", stored.familyId());
        }
        UpstreamRecheck.Result upstream = recheck.recheck(found);
        if (upstream instanceof UpstreamRecheck.Gone gone) {
            return new Refused("the user's upstream says: " + gone.reason(), gone.revoke() ? stored.familyId() : null);
        }
        if (upstream instanceof UpstreamRecheck.Unreachable) {
            // the refresh token stays as it was: the same request succeeds once the upstream answers
            throw OAuthException.temporarilyUnavailable("the directory this user logs in with cannot be reached; "
                    + "try again shortly");
        }
        User user = ((UpstreamRecheck.Current) upstream).user();
        String next = OpaqueTokens.generate();
        IssuedToken issued = tokens.issue(request, client, new UserAuthorization(user, scope, stored.authTime(), null),
                next);
        byte[] sealed = kek.seal(issued.toJson().getBytes(StandardCharsets.UTF_8), hash);
        return database.inTransaction(c -> {
            if (!RefreshTokens.markRotated(c, hash, now)) {
                // used meanwhile: a racing request held the row lock and rotated it first
                return afterRotation(RefreshTokens.find(c, hash).orElse(stored), now);
            }
            RefreshTokens.insert(c, new RefreshTokens.NewToken(next, stored.familyId(), client.clientId(), user.id(),
                    stored.scope(), stored.authTime(), now, families.next(now, stored.familyExpiresAt()),
                    stored.familyExpiresAt(), issued.accessTokenId()));
            RefreshTokens.storeResponse(c, hash, sealed);
            return new Issued(issued);
        });
    }

    private Result afterRotation(RefreshTokens.Stored stored, Instant now) {
        if (stored.revokedAt() != null) {
            return new Refused("revoked", null);
        }
        boolean withinGrace = stored.rotatedAt() != null && !now.isAfter(stored.rotatedAt().plus(grace));
        if (withinGrace && stored.rotatedResponse() != null) {
            return new Replayed(stored.rotatedResponse(), stored.tokenHash(), stored.rotatedAt());
        }
        return new Refused("reused after rotation", stored.familyId());
    }

    private IssuedToken replay(Replayed replayed) {
        try {
            Map<String, Object> json = JSONObjectUtils.parse(
                    new String(kek.open(replayed.sealed(), replayed.tokenHash()), StandardCharsets.UTF_8));
            long elapsed = Duration.between(replayed.rotatedAt(), clock.instant()).toSeconds();
            long expiresIn = Math.max(1, ((Number) json.get("expires_in")).longValue() - Math.max(0, elapsed));
            String scope = (String) json.get("scope");
            return new IssuedToken(grantType(), (String) json.get("access_token"), expiresIn,
                    scope == null ? null : Scope.parse(scope), (String) json.get("refresh_token"),
                    (String) json.get("id_token"));
        } catch (GeneralSecurityException | java.text.ParseException e) {
            // sealed under another KEK (the KEK changed within the grace window): treat as plain reuse
            LOG.warn("could not open a stored refresh response: {}", e.getClass().getSimpleName());
            throw OAuthException.invalidGrant(INVALID);
        }
    }

    /** RFC 6749 section 6: a refresh may narrow the scope, never widen it. */
    private static Set<String> narrowed(Set<String> granted, String requested) {
        if (requested == null) {
            return granted;
        }
        Set<String> scope = new LinkedHashSet<>(List.of(requested.trim().split(" +")));
        if (!granted.containsAll(scope)) {
            throw OAuthException.invalidScope("the requested scope exceeds the scope originally granted");
        }
        return scope;
    }
}

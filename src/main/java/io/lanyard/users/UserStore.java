package io.lanyard.users;

import io.lanyard.storage.CacheVersions;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** SQL for users. Every write bumps the users cache version in the caller's transaction. */
public final class UserStore {
    /** The cache_versions row for users, groups and memberships. */
    public static final String CACHE = "users";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, username, email, email_verified, display_name, disabled, "
            + "password_hash, config_password_hash, source";

    private UserStore() {
    }

    /** 128 random bits: unguessable and, in practice, never produced twice. */
    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The unique key of a username: usernames are ASCII, so lower-casing folds case completely. */
    public static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    /** A verified email, case folded: unique across users, since kube-apiserver may take it as the username. */
    public static String verifiedEmailKey(User user) {
        return user.emailVerified() && user.email() != null ? user.email().toLowerCase(Locale.ROOT) : null;
    }

    /** The user, other than {@code exceptId}, who already holds this verified email. */
    public static Optional<StoredUser> holderOfVerifiedEmail(Connection c, User user) throws SQLException {
        String key = verifiedEmailKey(user);
        if (key == null) {
            return Optional.empty();
        }
        return findOne(c, "verified_email_key", key).filter(other -> !other.user().id().equals(user.id()));
    }

    public static List<StoredUser> list(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM users ORDER BY username_key");
             ResultSet rs = ps.executeQuery()) {
            List<StoredUser> users = new ArrayList<>();
            while (rs.next()) {
                users.add(read(rs));
            }
            return users;
        }
    }

    public static Optional<StoredUser> findByUsername(Connection c, String username) throws SQLException {
        return findOne(c, "username_key", key(username));
    }

    public static Optional<StoredUser> findById(Connection c, String id) throws SQLException {
        return findOne(c, "id", id);
    }

    private static Optional<StoredUser> findOne(Connection c, String column, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE " + column + " = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public static void insert(Connection c, StoredUser user, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (" + COLUMNS
                + ", username_key, verified_email_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = bind(ps, user);
            ps.setString(i++, key(user.user().username()));
            ps.setString(i++, verifiedEmailKey(user.user()));
            ps.setObject(i++, now.atOffset(ZoneOffset.UTC));
            ps.setObject(i, now.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
        CacheVersions.bump(c, CACHE);
    }

    public static boolean update(Connection c, StoredUser user, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET id = ?, username = ?, email = ?, "
                + "email_verified = ?, display_name = ?, disabled = ?, password_hash = ?, config_password_hash = ?, "
                // a connector's person keeps the keys the connector gave them (scoped by connector)
                + "source = ?, username_key = CASE WHEN connector_id IS NULL THEN ? ELSE username_key END, "
                + "verified_email_key = CASE WHEN connector_id IS NULL THEN ? ELSE verified_email_key END, "
                + "updated_at = ? WHERE id = ?")) {
            int i = bind(ps, user);
            ps.setString(i++, key(user.user().username()));
            ps.setString(i++, verifiedEmailKey(user.user()));
            ps.setObject(i++, now.atOffset(ZoneOffset.UTC));
            ps.setString(i, user.user().id());
            boolean found = ps.executeUpdate() == 1;
            if (found) {
                CacheVersions.bump(c, CACHE);
            }
            return found;
        }
    }

    /**
     * Replaces a hash only if it is still the one that was verified, so a rehash at login never
     * undoes a password change made meanwhile. Not a change anyone made: no version bump.
     */
    public static boolean replaceHash(Connection c, String id, String verifiedHash, String newHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?")) {
            ps.setString(1, newHash);
            ps.setString(2, id);
            ps.setString(3, verifiedHash);
            return ps.executeUpdate() == 1;
        }
    }

    public static boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
            ps.setString(1, id);
            boolean found = ps.executeUpdate() == 1;
            if (found) {
                CacheVersions.bump(c, CACHE);
            }
            return found;
        }
    }

    private static int bind(PreparedStatement ps, StoredUser stored) throws SQLException {
        User u = stored.user();
        int i = 1;
        ps.setString(i++, u.id());
        ps.setString(i++, u.username());
        ps.setString(i++, u.email());
        ps.setBoolean(i++, u.emailVerified());
        ps.setString(i++, u.displayName());
        ps.setBoolean(i++, u.disabled());
        ps.setString(i++, stored.passwordHash());
        ps.setString(i++, stored.configPasswordHash());
        ps.setString(i++, stored.source());
        return i;
    }

    private static StoredUser read(ResultSet rs) throws SQLException {
        User user = new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5),
                rs.getBoolean(6));
        return new StoredUser(user, rs.getString(7), rs.getString(8), rs.getString(9));
    }
}

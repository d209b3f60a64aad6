package io.lanyard.users;

import io.lanyard.storage.Database;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which users exist and which are disabled, in memory, for the paths that must not wait for the
 * database (token exchange). Reloaded when this process changes users and, for changes made
 * elsewhere, when the users cache version moves (within the refresh interval).
 */
@Singleton
public class UserStatusCache {
    private final Database database;
    private final AtomicReference<Map<String, Boolean>> disabledById = new AtomicReference<>(Map.of());

    public UserStatusCache(Database database) {
        this.database = database;
    }

    /** True when the user exists and may act; false for a disabled or unknown user. */
    public boolean active(String userId) {
        return Boolean.FALSE.equals(disabledById.get().get(userId));
    }

    @EventListener
    void onUsersChanged(UsersChanged event) {
        reload();
    }

    public void reload() {
        disabledById.set(database.query(c -> {
            Map<String, Boolean> status = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, disabled FROM users");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    status.put(rs.getString(1), rs.getBoolean(2));
                }
            }
            return Map.copyOf(status);
        }));
    }
}

package io.lanyard.admin;

import io.lanyard.storage.Database;
import io.lanyard.storage.StorageException;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.ZoneOffset;

/**
 * One-time steps of a first start (the demo client, the demo user). The marker's primary key lets
 * exactly one of several replicas starting together take a step, and none take it twice.
 */
@Singleton
public class BootstrapMarkers {
    private final Database database;
    private final Clock clock;

    public BootstrapMarkers(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** True for the one caller that claims the step; false once anyone has. */
    public boolean claim(String name) {
        try {
            database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO bootstrap_markers (name, created_at) VALUES (?, ?)")) {
                    ps.setString(1, name);
                    ps.setObject(2, clock.instant().atOffset(ZoneOffset.UTC));
                    ps.executeUpdate();
                }
                return null;
            });
            return true;
        } catch (StorageException e) {
            if (e.isUniqueViolation()) {
                return false;
            }
            throw e;
        }
    }
}

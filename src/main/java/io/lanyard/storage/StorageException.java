package io.lanyard.storage;

import java.sql.SQLException;

/** The database failed; callers on request paths turn this into a 503, never a stack trace. */
public final class StorageException extends RuntimeException {
    public StorageException(SQLException cause) {
        super("database error: " + cause.getMessage(), cause);
    }

    public boolean isUniqueViolation() {
        // 23505 is unique_violation in PostgreSQL and duplicate key in H2.
        return getCause() instanceof SQLException s && "23505".equals(s.getSQLState());
    }
}

package io.lanyard.storage;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Plain JDBC with explicit transactions: every multi-statement change is all or nothing. Each
 * connection it hands out answers within {@code lanyard.db.timeout} or fails (a per-connection
 * network timeout, reset when the connection returns to the pool), so a database that stops
 * answering costs a request at most that long; {@link #inLongTransaction} is for the few things
 * that may wait on another replica, with the pool's own, longer bound.
 */
@Singleton
public final class Database {
    /** The timeout is enforced on the calling thread: no executor is needed for a plain socket timeout. */
    private static final Executor ON_CALLER = Runnable::run;

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final int timeoutMillis;

    public Database(DataSource dataSource, @Value("${lanyard.db.timeout:2s}") Duration timeout) {
        this.dataSource = dataSource;
        this.timeoutMillis = (int) timeout.toMillis();
    }

    public <T> T inTransaction(Work<T> work) {
        return transaction(work, true);
    }

    /**
     * A transaction that may wait on a lock another replica holds for a while (key rotation, while that
     * replica generates a key): bounded by the pool's longer socket timeout, not the request bound.
     */
    public <T> T inLongTransaction(Work<T> work) {
        return transaction(work, false);
    }

    private <T> T transaction(Work<T> work, boolean bounded) {
        try (Connection c = connect(bounded)) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    public <T> T query(Work<T> work) {
        try (Connection c = connect(true)) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    private Connection connect(boolean bounded) throws SQLException {
        Connection c = dataSource.getConnection();
        if (bounded) {
            try {
                c.setNetworkTimeout(ON_CALLER, timeoutMillis);
            } catch (SQLFeatureNotSupportedException e) {
                // embedded H2 has no network to time out; its lock waits are bounded by LOCK_TIMEOUT
            }
        }
        return c;
    }
}

package io.lanyard.runtime;

import io.lanyard.config.LanyardConfigException;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Bounds every wait on the database by {@link DatabaseProperties#timeout()} before the pool is made.
 * Hikari's own defaults wait 30 s for a connection, and a PostgreSQL that accepts connections but
 * never answers (a network partition, a black-holing firewall) would hold a request until the
 * operating system gave up on the socket. Hikari bounds the wait for a pooled connection
 * ({@code connectionTimeout}) and its liveness check ({@code validationTimeout}); the PostgreSQL driver
 * bounds the connect and the login ({@code connectTimeout}, {@code loginTimeout}, whole seconds).
 * Every read on a connection a request uses is bounded by {@code Database} with a per-connection
 * network timeout; the pool-wide {@code socketTimeout} is only the backstop for work that may
 * legitimately wait longer (migrations waiting for another replica's migration lock, key rotation
 * waiting for another replica's key generation).
 */
@Singleton
public class DatabaseTimeouts implements BeanCreatedEventListener<DatasourceConfiguration> {
    /** The backstop for reads outside requests: generous, so a migration or a rotation is not cut off. */
    static final long BACKSTOP_SECONDS = 60;
    private final long seconds;

    public DatabaseTimeouts(DatabaseProperties database) {
        this.seconds = database.timeout().toSeconds();
        if (seconds < 1 || !database.timeout().equals(Duration.ofSeconds(seconds))) {
            throw new LanyardConfigException("LANYARD_DB_TIMEOUT must be whole seconds, at least 1s (got "
                    + database.timeout() + ")");
        }
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration pool = event.getBean();
        pool.setConnectionTimeout(seconds * 1000);
        // below the connection timeout, so a dead pooled connection is found and replaced within it
        pool.setValidationTimeout(Math.max(250, seconds * 1000 / 2));
        String url = pool.getUrl();
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            for (String setting : new String[]{"connectTimeout", "loginTimeout"}) {
                if (!url.contains(setting + "=")) {
                    pool.addDataSourceProperty(setting, String.valueOf(seconds));
                }
            }
            if (!url.contains("socketTimeout=")) {
                pool.addDataSourceProperty("socketTimeout", String.valueOf(Math.max(seconds, BACKSTOP_SECONDS)));
            }
        }
        return pool;
    }
}

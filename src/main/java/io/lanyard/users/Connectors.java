package io.lanyard.users;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/**
 * The connectors of this server, from the declarative file (every replica reads the same file at
 * start), in the file's order: the login form tries Lanyard's own users first, then each password
 * connector in turn.
 */
@Singleton
public class Connectors {

    /** A connector and what Lanyard adds to its groups. */
    public record Configured(ConnectorSettings settings, Connector connector) {
    }

    private volatile List<Configured> configured = List.of();

    public void configure(List<Configured> connectors) {
        List<Configured> previous = configured;
        configured = List.copyOf(connectors);
        previous.forEach(Connectors::close);
    }

    public List<Configured> all() {
        return configured;
    }

    /** The connectors the login page shows as buttons, in the file's order. */
    public List<Configured> redirecting() {
        return configured.stream().filter(c -> c.connector() instanceof RedirectConnector).toList();
    }

    public Optional<Configured> find(String id) {
        return configured.stream().filter(c -> c.settings().id().equals(id)).findFirst();
    }

    @PreDestroy
    void closeAll() {
        configured.forEach(Connectors::close);
    }

    private static void close(Configured configured) {
        if (configured.connector() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing a pool: nothing to do about a failure
            }
        }
    }
}

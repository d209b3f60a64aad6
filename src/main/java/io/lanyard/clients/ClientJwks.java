package io.lanyard.clients;

import com.nimbusds.jose.jwk.JWKSet;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public keys of {@code private_key_jwt} clients. Inline sets are parsed once per registry
 * version of the client. A {@code jwks_uri} is fetched with short timeouts and kept for
 * {@link #MAX_AGE}; an assertion with a kid the cached set lacks may cause one refetch, at most
 * once per {@link #REFETCH_INTERVAL} per client, so forged kids cannot make Lanyard hammer the
 * client's server. Each client has its own lock, so a slow URI holds up only that client.
 */
@Singleton
public class ClientJwks {
    private static final Logger LOG = LoggerFactory.getLogger(ClientJwks.class);
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final Duration REFETCH_INTERVAL = Duration.ofMinutes(1);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private record Fetched(String uri, JWKSet keys, Instant fetchedAt) {
    }

    private record Parsed(String json, JWKSet keys) {
    }

    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Parsed> inline = new ConcurrentHashMap<>();
    private final Map<String, Fetched> fetched = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public ClientJwks(Clock clock) {
        this.clock = clock;
    }

    /** The client's keys as last known; fetches a jwks_uri not fetched yet (or too long ago). */
    public JWKSet keys(Client client) {
        if (client.jwks() != null) {
            Parsed parsed = inline.get(client.clientId());
            if (parsed == null || !parsed.json().equals(client.jwks())) {
                JWKSet keys;
                try {
                    keys = ClientKeys.parse(client.jwks());
                } catch (IllegalArgumentException e) {
                    // validated when stored; a row edited by hand must not make the token endpoint fail
                    LOG.warn("client {}: its jwks is unusable: {}", client.clientId(), e.getMessage());
                    keys = new JWKSet();
                }
                parsed = new Parsed(client.jwks(), keys);
                inline.put(client.clientId(), parsed);
            }
            return parsed.keys();
        }
        if (client.jwksUri() == null) {
            return new JWKSet();
        }
        synchronized (lock(client)) {
            Fetched current = fetched.get(client.clientId());
            if (current == null || !current.uri().equals(client.jwksUri())
                    || current.fetchedAt().plus(MAX_AGE).isBefore(clock.instant())) {
                current = fetch(client, current);
            }
            return current == null ? new JWKSet() : current.keys();
        }
    }

    /**
     * Called when no key matched: fetches the jwks_uri again unless it was fetched within the last
     * minute. Returns the keys to try again with, or null when nothing new was fetched.
     */
    public JWKSet refetch(Client client) {
        if (client.jwksUri() == null) {
            return null;
        }
        synchronized (lock(client)) {
            Fetched current = fetched.get(client.clientId());
            if (current != null && current.uri().equals(client.jwksUri())
                    && current.fetchedAt().plus(REFETCH_INTERVAL).isAfter(clock.instant())) {
                return null;
            }
            Fetched refreshed = fetch(client, current);
            return refreshed == current || refreshed == null ? null : refreshed.keys();
        }
    }

    private Object lock(Client client) {
        return locks.computeIfAbsent(client.clientId(), id -> new Object());
    }

    /** Fetches and stores the set; on failure keeps what was known, marked fresh so retries wait. */
    private Fetched fetch(Client client, Fetched previous) {
        Instant now = clock.instant();
        Fetched result;
        try {
            result = new Fetched(client.jwksUri(), ClientKeys.parse(download(client.jwksUri())), now);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("client {}: could not fetch its jwks_uri {}: {}", client.clientId(), client.jwksUri(), e.getMessage());
            result = new Fetched(client.jwksUri(),
                    previous != null && previous.uri().equals(client.jwksUri()) ? previous.keys() : new JWKSet(), now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return previous;
        }
        fetched.put(client.clientId(), result);
        return result;
    }

    private String download(String uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/jwk-set+json, application/json").GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP status " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(ClientKeys.MAX_JWKS_CHARS + 1);
            if (bytes.length > ClientKeys.MAX_JWKS_CHARS) {
                throw new IOException("the JWK set is larger than " + ClientKeys.MAX_JWKS_CHARS + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}

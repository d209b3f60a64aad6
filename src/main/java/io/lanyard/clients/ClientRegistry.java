package io.lanyard.clients;

import io.lanyard.storage.Database;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/** All clients in memory, so authenticating one never touches the database. */
@Singleton
public class ClientRegistry {
    private final Database database;
    private final ApplicationEventPublisher<ClientsReloaded> events;
    private final AtomicReference<Map<String, Client>> clients = new AtomicReference<>(Map.of());

    public ClientRegistry(Database database, ApplicationEventPublisher<ClientsReloaded> events) {
        this.database = database;
        this.events = events;
    }

    public Optional<Client> find(String clientId) {
        return Optional.ofNullable(clients.get().get(clientId));
    }

    public java.util.Collection<Client> all() {
        return clients.get().values();
    }

    public void reload() {
        List<Client> all = database.query(ClientStore::list);
        clients.set(all.stream().collect(Collectors.toUnmodifiableMap(Client::clientId, Function.identity())));
        events.publishEvent(new ClientsReloaded(all.size()));
    }
}

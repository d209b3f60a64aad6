package io.lanyard.exchange;

import io.lanyard.clients.ClientsReloaded;
import io.lanyard.storage.Database;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every exchange policy in memory, reloaded with the clients. */
@Singleton
public class ExchangePolicies {
    private final Database database;
    private final AtomicReference<Map<String, ExchangePolicy>> policies = new AtomicReference<>(Map.of());

    public ExchangePolicies(Database database) {
        this.database = database;
    }

    public Optional<ExchangePolicy> of(String clientId) {
        return Optional.ofNullable(policies.get().get(clientId));
    }

    @EventListener
    void onClientsReloaded(ClientsReloaded event) {
        reload();
    }

    public void reload() {
        policies.set(database.query(ExchangePolicyStore::list).stream()
                .collect(Collectors.toUnmodifiableMap(ExchangePolicy::clientId, Function.identity())));
    }
}

package io.lanyard.admin;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientStore;
import io.lanyard.exchange.ExchangePolicyStore;
import io.lanyard.storage.Database;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Applies the declarative file. The file owns the clients, users and groups it names: they are
 * created or brought in line with it, and those it once created but no longer names are deleted.
 * Those made with the CLI are left alone (users and groups: see {@link PeopleApplier}). The whole
 * file is checked before anything is written, and written in one transaction, so a bad file
 * changes nothing; applying the same file again writes nothing.
 */
@Singleton
public class DeclarativeConfig {

    public record Result(int created, int updated, int deleted, int unchanged) {
        public boolean changedAnything() {
            return created + updated + deleted > 0;
        }

        @Override
        public String toString() {
            return created + " created, " + updated + " updated, " + deleted + " deleted, " + unchanged + " unchanged";
        }
    }

    private final Database database;
    private final ConfigFileParser parser;
    private final PeopleApplier people;
    private final Clock clock;

    public DeclarativeConfig(Database database, ConfigFileParser parser, PeopleApplier people, Clock clock) {
        this.database = database;
        this.parser = parser;
        this.people = people;
        this.clock = clock;
    }

    public Result apply(Path file) {
        return apply(parser.parse(file));
    }

    public Result apply(ParsedConfig file) {
        List<Client> wanted = file.clients();
        return database.inTransaction(c -> {
            // Replicas starting together on an empty database apply the same file at once: the
            // row lock makes the second wait and then find the first one's clients unchanged.
            try (var lock = c.prepareStatement("SELECT version FROM cache_versions WHERE name = 'clients' FOR UPDATE");
                 var rs = lock.executeQuery()) {
                rs.next();
            }
            Instant now = clock.instant();
            Map<String, Client> existing = ClientStore.list(c).stream()
                    .collect(Collectors.toMap(Client::clientId, Function.identity()));
            int created = 0;
            int updated = 0;
            int unchanged = 0;
            for (Client client : wanted) {
                Optional<Client> current = Optional.ofNullable(existing.get(client.clientId()));
                if (current.isEmpty()) {
                    ClientStore.insert(c, client, now);
                    created++;
                } else if (!current.get().equals(client)) {
                    ClientStore.update(c, client, now);
                    updated++;
                } else {
                    unchanged++;
                }
            }
            Set<String> named = wanted.stream().map(Client::clientId).collect(Collectors.toSet());
            int deleted = 0;
            for (Client client : existing.values()) {
                if (Client.SOURCE_CONFIG.equals(client.source()) && !named.contains(client.clientId())) {
                    ClientStore.delete(c, client.clientId());
                    deleted++;
                }
            }
            if (ExchangePolicyStore.replaceFromConfig(c, file.exchangePolicies())) {
                updated++;
            }
            PeopleApplier.Counts p = people.apply(c, file, now);
            return new Result(created + p.created(), updated + p.updated(), deleted + p.deleted(),
                    unchanged + p.unchanged());
        });
    }
}

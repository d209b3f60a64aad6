package io.lanyard.clients;

import io.lanyard.storage.Database;
import io.lanyard.storage.StorageException;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Client administration, shared by the CLI and the declarative file. */
@Singleton
public class ClientService {
    private final Database database;
    private final ClientValidator validator;
    private final Clock clock;

    public ClientService(Database database, ClientValidator validator, Clock clock) {
        this.database = database;
        this.validator = validator;
        this.clock = clock;
    }

    /** A client and, when Lanyard generated it, its secret: shown once, never stored. */
    public record WithSecret(Client client, String secret) {
    }

    public List<Client> list() {
        return database.query(ClientStore::list);
    }

    public Optional<Client> find(String clientId) {
        return database.query(c -> ClientStore.find(c, clientId));
    }

    /** Creates a client; when it needs a secret and has no digest, generates one. */
    public WithSecret create(Client client, boolean generateSecret) {
        String secret = generateSecret ? ClientSecrets.generate() : null;
        Client toStore = secret == null ? client : client.withSecretDigest(ClientSecrets.digest(secret));
        validator.validate(toStore);
        try {
            database.inTransaction(c -> {
                ClientStore.insert(c, toStore, clock.instant());
                return null;
            });
        } catch (StorageException e) {
            if (e.isUniqueViolation()) {
                throw new ClientValidator.InvalidClientException("id", "client '" + client.clientId()
                        + "' already exists");
            }
            throw e;
        }
        return new WithSecret(toStore, secret);
    }

    public Client update(String clientId, UnaryOperator<Client> change) {
        return database.inTransaction(c -> {
            Client current = ClientStore.find(c, clientId).orElseThrow(() -> new NoSuchClientException(clientId));
            Client updated = change.apply(current);
            validator.validate(updated);
            ClientStore.update(c, updated, clock.instant());
            return updated;
        });
    }

    public String rotateSecret(String clientId) {
        String secret = ClientSecrets.generate();
        update(clientId, c -> c.withSecretDigest(ClientSecrets.digest(secret)));
        return secret;
    }

    public void delete(String clientId) {
        boolean found = database.inTransaction(c -> ClientStore.delete(c, clientId));
        if (!found) {
            throw new NoSuchClientException(clientId);
        }
    }

    public static final class NoSuchClientException extends RuntimeException {
        public NoSuchClientException(String clientId) {
            super("no client '" + clientId + "'");
        }
    }
}

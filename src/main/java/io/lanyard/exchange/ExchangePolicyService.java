package io.lanyard.exchange;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientService;
import io.lanyard.clients.ClientStore;
import io.lanyard.storage.Database;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/**
 * Policies made with the CLI. The declarative file writes its own through
 * {@link ExchangePolicyStore#replaceFromConfig}; both check them with {@link ExchangePolicyRules}.
 */
@Singleton
public class ExchangePolicyService {
    private final Database database;

    public ExchangePolicyService(Database database) {
        this.database = database;
    }

    /** The policy as written, and the one it replaced (to tell a person when that came from the file). */
    public record Replaced(ExchangePolicy policy, Optional<ExchangePolicy> previous) {
    }

    public List<ExchangePolicy> list() {
        return database.query(ExchangePolicyStore::list);
    }

    public ExchangePolicy find(String clientId) {
        return database.query(c -> ExchangePolicyStore.find(c, clientId))
                .orElseThrow(() -> new NoSuchPolicyException(clientId));
    }

    /** Checks the policy against its client and writes it in one transaction: a refused policy writes nothing. */
    public Replaced set(ExchangePolicy policy) {
        return database.inTransaction(c -> {
            Client client = ClientStore.find(c, policy.clientId())
                    .orElseThrow(() -> new ClientService.NoSuchClientException(policy.clientId()));
            ExchangePolicy checked = ExchangePolicyRules.check(policy, client);
            Optional<ExchangePolicy> previous = ExchangePolicyStore.find(c, policy.clientId());
            ExchangePolicyStore.put(c, checked);
            return new Replaced(checked, previous);
        });
    }

    public ExchangePolicy delete(String clientId) {
        return database.inTransaction(c -> {
            ExchangePolicy current = ExchangePolicyStore.find(c, clientId)
                    .orElseThrow(() -> new NoSuchPolicyException(clientId));
            ExchangePolicyStore.delete(c, clientId);
            return current;
        });
    }

    public static final class NoSuchPolicyException extends RuntimeException {
        public NoSuchPolicyException(String clientId) {
            super("client '" + clientId + "' has no exchange policy", null, false, false);
        }
    }
}

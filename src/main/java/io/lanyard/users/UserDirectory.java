package io.lanyard.users;

import io.lanyard.storage.Database;
import io.lanyard.storage.StorageException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** People from Lanyard's own database. */
@Singleton
public class UserDirectory implements UserSource {
    private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);

    private final Database database;
    private final PasswordHasher hasher;
    private final Connectors connectors;
    private final FederatedUsers federated;

    public UserDirectory(Database database, PasswordHasher hasher, Connectors connectors, FederatedUsers federated) {
        this.database = database;
        this.hasher = hasher;
        this.connectors = connectors;
        this.federated = federated;
    }

    @Override
    public PasswordCheck checkPassword(String username, String password) {
        String presented = password == null ? "" : password;
        StoredUser stored = UserRules.isUsername(username)
                ? database.query(c -> UserStore.findByUsername(c, username)).orElse(null)
                : null;
        if (stored == null || !stored.hasPassword()) {
            // the same Argon2id work as a real check, so the time taken does not tell who exists
            hasher.burn(presented);
            return stored != null ? new PasswordCheck.WrongPassword(stored.user()) : new PasswordCheck.UnknownUser();
        }
        if (!hasher.verify(presented, stored.passwordHash())) {
            return new PasswordCheck.WrongPassword(stored.user());
        }
        if (stored.user().disabled()) {
            return new PasswordCheck.Disabled(stored.user());
        }
        if (hasher.needsRehash(stored.passwordHash())) {
            rehash(stored, presented);
        }
        return new PasswordCheck.Verified(stored.user());
    }

    @Override
    public PasswordCheck checkConnectors(String username, String password, @Nullable String connectorId) {
        return viaConnectors(username, password == null ? "" : password, connectorId);
    }

    /**
     * Someone Lanyard does not know: each password connector in turn (Keycloak's user federation).
     * The first that accepts the person decides; a directory that does not answer is passed over, and
     * only when none accepted and one was down is the answer "unavailable" rather than "unknown".
     */
    private PasswordCheck viaConnectors(String username, String password, @Nullable String only) {
        boolean unavailable = false;
        for (Connectors.Configured configured : connectors.all()) {
            if (only != null && !only.equals(configured.settings().id())
                    || !(configured.connector() instanceof PasswordConnector directory)) {
                continue;
            }
            PasswordConnector.Login login;
            try {
                login = directory.login(username, password);
            } catch (ConnectorUnavailableException e) {
                LOG.warn("connector {} unavailable at login: {}", configured.settings().id(), e.getMessage());
                unavailable = true;
                continue;
            }
            if (login instanceof PasswordConnector.Accepted accepted) {
                User user = federated.remember(configured.settings(), accepted.identity());
                return user.disabled() ? new PasswordCheck.Disabled(user) : new PasswordCheck.Verified(user);
            }
        }
        return unavailable ? new PasswordCheck.Unavailable() : new PasswordCheck.UnknownUser();
    }

    /** The one moment the password is known: bring its hash up to the configured cost. */
    private void rehash(StoredUser stored, String password) {
        String fresh = hasher.hash(password);
        try {
            database.inTransaction(c -> UserStore.replaceHash(c, stored.user().id(), stored.passwordHash(), fresh));
        } catch (StorageException e) {
            // the login itself succeeded; the next one tries again
            LOG.warn("Could not store the rehashed password of user {}: {}", stored.user().id(), e.getMessage());
        }
    }

    @Override
    public Optional<User> findById(String id) {
        return database.query(c -> UserStore.findById(c, id)).map(StoredUser::user);
    }

    @Override
    public List<String> groupsOf(String userId) {
        return database.query(c -> {
            List<String> upstream = FederatedUsers.upstreamGroups(c, userId);
            Set<String> direct = new TreeSet<>(GroupStore.groupsOfUser(c, userId));
            // a Lanyard group that names one of the person's connector groups counts as a direct one
            direct.addAll(GroupStore.groupsOfUpstream(c, upstream));
            List<String> local = direct.isEmpty() ? List.of() : List.copyOf(GroupGraph.load(c).closure(direct));
            if (upstream.isEmpty()) {
                return local;
            }
            // a connector's groups beside Lanyard's own, each filtered and prefixed as configured
            TreeSet<String> all = new TreeSet<>(local);
            all.addAll(upstream);
            return List.copyOf(all);
        });
    }
}

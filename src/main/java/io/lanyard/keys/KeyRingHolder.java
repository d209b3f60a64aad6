package io.lanyard.keys;

import io.lanyard.storage.Database;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Holds the current {@link KeyRing}; a reload swaps in a new snapshot, readers never wait. */
@Singleton
public class KeyRingHolder {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRingHolder.class);

    private final Database database;
    private final KeyMaterial material;
    private final AtomicReference<KeyRing> current = new AtomicReference<>(KeyRing.EMPTY);

    public KeyRingHolder(Database database, KeyMaterial material) {
        this.database = database;
        this.material = material;
    }

    public KeyRing current() {
        return current.get();
    }

    /**
     * Reads the published keys and opens the new ones (known kids are reused, not decrypted again).
     *
     * @return the keys that could not be opened, with the reason
     */
    public List<String> reload() {
        List<StoredKey> stored = database.query(c -> KeyStore.load(c, false));
        KeyRing previous = current.get();
        List<SigningKey> keys = new ArrayList<>(stored.size());
        List<String> problems = new ArrayList<>();
        for (StoredKey s : stored) {
            SigningKey known = previous.byKid(s.kid()).orElse(null);
            if (known != null && known.canSign()) {
                keys.add(known);
                continue;
            }
            try {
                keys.add(material.open(s));
            } catch (KeyMaterial.KeyOpenException e) {
                problems.add(e.getMessage());
                LOG.error("{}; the key stays published but this replica will not sign with it", e.getMessage());
                keys.add(KeyMaterial.publicOnly(s));
            }
        }
        current.set(new KeyRing(keys));
        return problems;
    }

}

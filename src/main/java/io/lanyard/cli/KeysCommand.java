package io.lanyard.cli;

import com.nimbusds.jose.JWSAlgorithm;
import io.lanyard.keys.KeyMaterial;
import io.lanyard.keys.KeyRotator;
import io.lanyard.keys.KeySchedule;
import io.lanyard.keys.KeyState;
import io.lanyard.keys.KeyStore;
import io.lanyard.keys.KeysProperties;
import io.lanyard.keys.StoredKey;
import io.lanyard.storage.Database;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "List and rotate signing keys.",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class})
public class KeysCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show every key: kid, alg, state, dates.")
    static class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = {"-o", "--output"}, description = "table or json", defaultValue = "table")
        OutputFormat output;
        @Option(names = "--all", description = "include removed keys")
        boolean all;

        @Override
        public Integer call() {
            try (ApplicationContext ctx = CliContext.open()) {
                Instant now = ctx.getBean(Clock.class).instant();
                KeySchedule schedule = ctx.getBean(KeySchedule.class);
                List<StoredKey> keys = ctx.getBean(Database.class).query(c -> KeyStore.load(c, true));
                List<Map<String, Object>> rows = describe(keys, schedule, now);
                if (!all) {
                    rows.removeIf(r -> KeyState.REMOVED.name().equals(r.get("state")));
                }
                PrintWriter out = spec.commandLine().getOut();
                if (output == OutputFormat.json) {
                    Output.json(out, rows);
                } else {
                    List<List<String>> table = new ArrayList<>();
                    for (Map<String, Object> r : rows) {
                        table.add(List.of(str(r.get("kid")), str(r.get("alg")), str(r.get("state")),
                                str(r.get("created")), str(r.get("activates")), str(r.get("retires")),
                                str(r.get("removed") != null ? r.get("removed") : r.get("removable"))));
                    }
                    Output.table(out, List.of("KID", "ALG", "STATE", "CREATED", "ACTIVATES", "RETIRES", "REMOVED/REMOVABLE"), table);
                }
                return 0;
            }
        }

        static List<Map<String, Object>> describe(List<StoredKey> keys, KeySchedule schedule, Instant now) {
            Map<String, List<StoredKey>> byAlg = new LinkedHashMap<>();
            for (StoredKey key : keys) {
                byAlg.computeIfAbsent(key.alg(), a -> new ArrayList<>()).add(key);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (List<StoredKey> ofAlg : byAlg.values()) {
                List<Instant> activations = ofAlg.stream().map(StoredKey::activatesAt).toList();
                for (int i = 0; i < ofAlg.size(); i++) {
                    StoredKey k = ofAlg.get(i);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("kid", k.kid());
                    row.put("alg", k.alg());
                    row.put("state", schedule.state(activations, i, now, k.removedAt() != null).name());
                    row.put("created", k.createdAt().toString());
                    row.put("activates", k.activatesAt().toString());
                    row.put("retires", schedule.retiresAt(activations, i).map(Instant::toString).orElse(null));
                    row.put("removable", schedule.removableAt(activations, i).map(Instant::toString).orElse(null));
                    row.put("removed", Optional.ofNullable(k.removedAt()).map(Instant::toString).orElse(null));
                    rows.add(row);
                }
            }
            return rows;
        }

        private static String str(Object value) {
            return value == null ? "-" : value.toString();
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Add a new key now. It is published at once and signs after the pre-publication "
                    + "period, unless --activate-now.")
    static class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--alg", description = "RS256 or ES256 (default: every configured algorithm)")
        String alg;
        @Option(names = "--activate-now", description = "sign with the new key at once (emergency: verifiers "
                + "holding a cached JWKS reject its tokens until they refetch)")
        boolean activateNow;
        @Option(names = {"-o", "--output"}, description = "table or json", defaultValue = "table")
        OutputFormat output;

        @Override
        public Integer call() {
            try (ApplicationContext ctx = CliContext.open()) {
                KeyRotator rotator = ctx.getBean(KeyRotator.class);
                List<JWSAlgorithm> algorithms = alg == null ? rotator.algorithms() : List.of(KeyMaterial.algorithm(alg));
                PrintWriter out = spec.commandLine().getOut();
                Duration servers = rotator.prePublish();
                Duration own = ctx.getBean(KeysProperties.class).prePublish();
                if (!activateNow && !servers.equals(own)) {
                    spec.commandLine().getErr().println("note: the new key is published for the servers' "
                            + "pre-publication period, " + servers + " (this command's own setting is " + own + ")");
                }
                if (activateNow) {
                    spec.commandLine().getErr().println("WARNING: --activate-now: the new key signs at once. Verifiers "
                            + "that cached the JWKS (kube-apiserver, other services) reject its tokens until they "
                            + "fetch the JWKS again.");
                }
                List<Map<String, Object>> added = new ArrayList<>();
                for (JWSAlgorithm a : algorithms) {
                    StoredKey key = rotator.rotateNow(a, activateNow);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("kid", key.kid());
                    row.put("alg", key.alg());
                    row.put("activates", key.activatesAt().toString());
                    added.add(row);
                }
                if (output == OutputFormat.json) {
                    Output.json(out, added);
                } else {
                    for (Map<String, Object> row : added) {
                        out.println("added " + row.get("alg") + " key " + row.get("kid") + ", signs from " + row.get("activates"));
                    }
                    out.flush();
                }
                return 0;
            }
        }
    }
}

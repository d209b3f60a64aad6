package io.lanyard.cli;

import io.lanyard.config.LanyardConfigException;
import io.lanyard.tls.Certificates;
import io.lanyard.tls.DevCa;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "tls", mixinStandardHelpOptions = true, description = "Certificates for serving HTTPS.",
        subcommands = {TlsCommand.DevCaCommand.class})
public class TlsCommand {

    @Command(name = "dev-ca", mixinStandardHelpOptions = true,
            description = {"Write a development CA (ca.pem, ca-key.pem) and a server certificate it signs "
                    + "(server.pem, server-key.pem) into DIR. Keys are ECDSA P-256 unless --key-type rsa; "
                    + "key files are readable by their owner only.",
                    "A CA already in DIR is reused, so kube-apiserver's --oidc-ca-file and other clients that "
                            + "trust its ca.pem keep working; remove ca.pem and ca-key.pem for a new CA."})
    static class DevCaCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory for the files")
        Path out;
        @Option(names = "--host", required = true, split = ",", paramLabel = "NAME|IP",
                description = "a DNS name or IP address clients use to reach Lanyard (repeatable); the first is "
                        + "also the subject CN")
        List<String> hosts;
        @Option(names = "--days", defaultValue = "365",
                description = "server certificate validity in days, at most 397 (default: ${DEFAULT-VALUE})")
        int days;
        @Option(names = "--key-type", defaultValue = "ec", paramLabel = "ec|rsa",
                description = "ec (P-256) or rsa (2048 bits) for new keys (default: ${DEFAULT-VALUE})")
        String keyType;
        @Option(names = "--force", description = "replace an existing server.pem and server-key.pem")
        boolean force;

        @Override
        public Integer call() {
            Certificates.KeyType type = switch (keyType.toLowerCase(Locale.ROOT)) {
                case "ec" -> Certificates.KeyType.EC;
                case "rsa" -> Certificates.KeyType.RSA;
                default -> throw new CommandFailure("--key-type must be ec or rsa, not '" + keyType + "'", 2);
            };
            DevCa.Result result;
            try {
                result = DevCa.issue(out, hosts, days, type, force, Clock.systemUTC());
            } catch (IllegalArgumentException | LanyardConfigException e) {
                throw new CommandFailure(e.getMessage(), 2);
            } catch (IOException e) {
                throw new CommandFailure("cannot write to " + out + ": " + e.getMessage(), 1);
            }
            PrintWriter text = spec.commandLine().getOut();
            text.println(result.newCa() ? "Created a new CA." : "Reused the CA in " + out + " ("
                    + result.ca().getSubjectX500Principal().getName() + ", expires " + result.ca().getNotAfter().toInstant() + ").");
            for (Path file : result.written()) {
                text.printf("  wrote %-40s %s%n", file, describe(file.getFileName().toString(), result));
            }
            Path ca = out.resolve(DevCa.CA_CERT).toAbsolutePath();
            String first = hosts.get(0).contains(":") ? "[" + hosts.get(0) + "]" : hosts.get(0);
            text.println("Serve HTTPS with it:");
            text.println("  LANYARD_TLS_CERT_FILE=" + out.resolve(DevCa.SERVER_CERT).toAbsolutePath()
                    + " LANYARD_TLS_KEY_FILE=" + out.resolve(DevCa.SERVER_KEY).toAbsolutePath()
                    + " LANYARD_ISSUER=https://" + first + ":8443 ./lanyard");
            text.println("Trust it: kube-apiserver --oidc-issuer-url=https://" + first + ":8443 --oidc-ca-file=" + ca
                    + "  (kubelogin: --certificate-authority=" + ca + ")");
            text.flush();
            return 0;
        }

        private static String describe(String name, DevCa.Result result) {
            return switch (name) {
                case DevCa.CA_CERT -> "CA certificate: give it to clients";
                case DevCa.CA_KEY -> "CA private key: keep it to issue new server certificates";
                case DevCa.SERVER_CERT -> "server certificate, until " + result.server().getNotAfter().toInstant();
                default -> "server private key";
            };
        }
    }
}

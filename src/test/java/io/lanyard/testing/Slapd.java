package io.lanyard.testing;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFReader;
import com.unboundid.ldap.sdk.Entry;
import io.lanyard.tls.Certificates;
import io.lanyard.tls.DevCa;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real OpenLDAP server (Debian's slapd) for one test class: its own cn=config and mdb database in a
 * temporary directory, plain LDAP (with StartTLS) and LDAPS on free loopback ports, TLS from a
 * development CA, seeded online from {@code ldap/seed.ldif} as the rootdn so the memberof overlay
 * runs. slapd stays in the foreground ({@code -d none}) as a child of the test JVM and is killed
 * when the test closes it. {@code bin/install-ldap} installs it.
 */
public final class Slapd implements AutoCloseable {
    public static final String SUFFIX = "dc=example,dc=org";
    public static final String ROOT_DN = "cn=admin," + SUFFIX;
    public static final String SERVICE_DN = "cn=lanyard,ou=services," + SUFFIX;
    public static final String SERVICE_PASSWORD = "lanyard-secret";
    private static final Path SLAPD = Path.of("/usr/sbin/slapd");
    private static final Path SLAPADD = Path.of("/usr/sbin/slapadd");
    private static final String ROOT_PASSWORD = "admin-secret";

    private final Path dir;
    private final Process process;
    private final int port;
    private final int tlsPort;

    private Slapd(Path dir, Process process, int port, int tlsPort) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    public static Slapd start() throws Exception {
        if (!Files.isExecutable(SLAPD) || !Files.isExecutable(SLAPADD)) {
            fail("LDAP tests need Debian's slapd at " + SLAPD + ": run bin/install-ldap (as root) once, then run the "
                    + "tests again");
        }
        Path dir = Files.createTempDirectory("lanyard-slapd");
        Files.createDirectories(dir.resolve("slapd.d"));
        Files.createDirectories(dir.resolve("data"));
        DevCa.issue(dir.resolve("tls"), List.of("127.0.0.1", "localhost"), 30, Certificates.KeyType.RSA, true,
                Clock.systemUTC());
        String config = resource("ldap/config.ldif").replace("@DIR@", dir.toString()).replace("@ROOTPW@", ROOT_PASSWORD);
        Files.writeString(dir.resolve("config.ldif"), config);
        run(dir, List.of(SLAPADD.toString(), "-n0", "-F", dir.resolve("slapd.d").toString(), "-l",
                dir.resolve("config.ldif").toString()));
        for (int attempt = 0; ; attempt++) {
            int port = freePort();
            int tlsPort = freePort();
            Process process = new ProcessBuilder(SLAPD.toString(), "-h",
                    "ldap://127.0.0.1:" + port + "/ ldaps://127.0.0.1:" + tlsPort + "/",
                    "-F", dir.resolve("slapd.d").toString(), "-d", "none")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("slapd.log").toFile()).start();
            Slapd slapd = new Slapd(dir, process, port, tlsPort);
            if (slapd.awaitReady(Duration.ofSeconds(15))) {
                slapd.seed();
                return slapd;
            }
            process.destroyForcibly().waitFor();
            if (attempt == 2) {
                String log = Files.readString(dir.resolve("slapd.log"));
                slapd.deleteDir();
                throw new IllegalStateException("slapd did not start: " + log);
            }
        }
    }

    private boolean awaitReady(Duration limit) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) {
                return false;
            }
            try (LDAPConnection probe = new LDAPConnection("127.0.0.1", port)) {
                return probe.isConnected();
            } catch (LDAPException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private void seed() throws Exception {
        try (LDAPConnection admin = new LDAPConnection("127.0.0.1", port, ROOT_DN, ROOT_PASSWORD);
             InputStream in = Slapd.class.getClassLoader().getResourceAsStream("ldap/seed.ldif");
             LDIFReader ldif = new LDIFReader(in)) {
            Entry entry;
            while ((entry = ldif.readEntry()) != null) {
                admin.add(entry);
            }
        }
    }

    /** A connection as the rootdn, to change the directory during a test. */
    public LDAPConnection admin() throws LDAPException {
        return new LDAPConnection("127.0.0.1", port, ROOT_DN, ROOT_PASSWORD);
    }

    /** {@code host:port} of plain LDAP (StartTLS upgrades it). */
    public String plainHost() {
        return "127.0.0.1:" + port;
    }

    /** {@code host:port} of LDAPS. */
    public String tlsHost() {
        return "127.0.0.1:" + tlsPort;
    }

    /** The PEM of the CA that signed the server's certificate. */
    public String caPem() throws IOException {
        return Files.readString(dir.resolve("tls").resolve(DevCa.CA_CERT));
    }

    /** Stops answering, as a directory that is down; {@link #close()} still cleans up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        deleteDir();
    }

    private void deleteDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
        Path log = dir.resolve("setup.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Slapd.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

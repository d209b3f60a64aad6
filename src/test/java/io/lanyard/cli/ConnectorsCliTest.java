package io.lanyard.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.Slapd;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.FederatedUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code connectors test} against a real OpenLDAP: what a person's id_token would carry, and every
 * refusal as a readable message with exit code 2; {@code config check} counts the connectors.
 */
class ConnectorsCliTest {
    private static Slapd slapd;
    private static Map<String, Object> db;

    @BeforeAll
    static void start() throws Exception {
        slapd = Slapd.start();
        db = TestDatabases.freshH2();
    }

    @AfterAll
    static void stop() throws Exception {
        slapd.close();
    }

    private static Path file(String host) throws Exception {
        Path file = Files.createTempFile("lanyard-connectors", ".yaml");
        Files.writeString(file, """
                connectors:
                  - type: ldap
                    id: corp
                    name: Corporate directory
                    groupsPrefix: "corp:"
                    timeout: 1s
                    config:
                      host: %s
                      insecureNoSSL: true
                      bindDN: %s
                      bindPW: %s
                      userSearch:
                        baseDN: ou=people,%s
                        username: uid
                        idAttr: DN
                        emailAttr: mail
                        nameAttr: cn
                      groupSearch:
                        baseDN: ou=groups,%s
                        nameAttr: cn
                        userAttr: uid
                        groupAttr: memberUid
                """.formatted(host, Slapd.SERVICE_DN, Slapd.SERVICE_PASSWORD, Slapd.SUFFIX, Slapd.SUFFIX));
        return file;
    }

    private static CliRun run(String... args) {
        return CliRun.run(new HashMap<>(db), args);
    }

    @Test
    void printsWhatThePersonsIdTokenWouldCarry() throws Exception {
        CliRun run = run("connectors", "test", "corp", "--username", "alice", "--config",
                file(slapd.plainHost()).toString(), "-o", "json");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> json = JSONObjectUtils.parse(run.out());
        String dn = "uid=alice,ou=people," + Slapd.SUFFIX;
        assertEquals(dn, json.get("upstream_id"));
        assertEquals(FederatedUsers.idOf("corp", dn), json.get("sub"));
        assertEquals("alice@example.org", json.get("email"));
        assertEquals(List.of("corp:staff"), json.get("groups"));
    }

    @Test
    void refusalsAreMessagesWithExitCodeTwo() throws Exception {
        Path good = file(slapd.plainHost());
        CliRun unknown = run("connectors", "test", "hr", "--username", "alice", "--config", good.toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("has no connector 'hr' (it has [corp])"), unknown.err());

        CliRun nobody = run("connectors", "test", "corp", "--username", "mallory", "--config", good.toString());
        assertEquals(2, nobody.exitCode());
        assertTrue(nobody.err().contains("connector corp finds no one named 'mallory'"), nobody.err());

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CliRun down = run("connectors", "test", "corp", "--username", "alice", "--config",
                file("127.0.0.1:" + closed).toString());
        assertEquals(2, down.exitCode());
        assertTrue(down.err().contains("did not answer"), down.err());
        assertFalse(down.err().contains("Exception") || down.err().contains(Slapd.SERVICE_PASSWORD), down.err());

        CliRun check = run("config", "check", good.toString());
        assertEquals(0, check.exitCode(), check.err());
        assertTrue(check.out().contains("1 connector(s)"), check.out());

        Path withOidc = Files.createTempFile("lanyard-connectors", ".yaml");
        Files.writeString(withOidc, Files.readString(good) + """
                  - type: oidc
                    id: sso
                    name: Company SSO
                    config:
                      issuer: https://sso.example.com
                      clientID: lanyard
                      clientSecret: not-a-real-secret
                """);
        CliRun oidc = run("connectors", "test", "sso", "--username", "alice", "--config", withOidc.toString());
        assertEquals(2, oidc.exitCode());
        assertTrue(oidc.err().contains("connector sso is an upstream OpenID provider"), oidc.err());
        CliRun checkBoth = run("config", "check", withOidc.toString());
        assertEquals(0, checkBoth.exitCode(), checkBoth.err());
        assertTrue(checkBoth.out().contains("2 connector(s)"), checkBoth.out());
    }
}

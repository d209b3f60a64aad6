package io.lanyard.users.ldap;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.lanyard.testing.Slapd;
import io.lanyard.users.ConnectorUnavailableException;
import io.lanyard.users.UpstreamIdentity;
import io.lanyard.users.PasswordConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LDAP connector against a real OpenLDAP: the user search and bind, groups by DN
 * ({@code member}, {@code uniqueMember}), by uid ({@code memberUid}) and nested, LDAP injection,
 * empty and wrong passwords, LDAPS and StartTLS with a custom CA, a re-read after the directory
 * changed, and a directory that is down or never answers.
 */
class LdapConnectorTest {
    private static Slapd slapd;

    @BeforeAll
    static void start() throws Exception {
        slapd = Slapd.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (slapd != null) {
            slapd.close();
        }
    }

    /** The shape of a typical OpenLDAP connector in a Dex configuration. */
    static LdapConfig config(String host, boolean plain, boolean startTls, String ca, Duration timeout) {
        return new LdapConfig(host, plain, false, startTls, ca, Slapd.SERVICE_DN, Slapd.SERVICE_PASSWORD, null,
                new LdapConfig.UserSearch("ou=people," + Slapd.SUFFIX, "(objectClass=inetOrgPerson)", List.of("uid"),
                        LdapConfig.Scope.SUB, "DN", "mail", "cn", "uid", null),
                new LdapConfig.GroupSearch("ou=groups," + Slapd.SUFFIX, null, LdapConfig.Scope.SUB, List.of(
                        new LdapConfig.UserMatcher("DN", "member", "member"),
                        new LdapConfig.UserMatcher("DN", "uniqueMember", null),
                        new LdapConfig.UserMatcher("uid", "memberUid", null)), "cn"),
                timeout);
    }

    private static LdapConnector plain() {
        return new LdapConnector("corp", config(slapd.plainHost(), true, false, null, Duration.ofSeconds(3)));
    }

    private static UpstreamIdentity accepted(PasswordConnector.Login login) {
        return assertInstanceOf(PasswordConnector.Accepted.class, login, login.toString()).identity();
    }

    @Test
    void aPersonLogsInWithTheirGroupsFoundEveryWay() throws Exception {
        try (LdapConnector ldap = plain()) {
            UpstreamIdentity alice = accepted(ldap.login("alice", "alice-secret"));
            assertEquals("uid=alice,ou=people," + Slapd.SUFFIX, alice.upstreamId());
            assertEquals("alice", alice.username());
            assertEquals("alice@example.org", alice.email());
            assertTrue(alice.emailVerified());
            assertEquals("Alice Adams", alice.name());
            // developers by member DN, engineering because it nests developers, staff by memberUid
            assertEquals(Set.of("developers", "engineering", "staff"), Set.copyOf(alice.groups()));

            UpstreamIdentity bob = accepted(ldap.login("BOB", "bob-secret"));
            assertEquals("bob", bob.username(), "the directory's spelling, not the typed one");
            assertEquals(Set.of("admins", "engineering"), Set.copyOf(bob.groups()));
        }
    }

    /** With several username attributes, the person is named by the first one, whichever they typed. */
    @Test
    void aPersonHasOneNameWhicheverAttributeTheyTyped() throws Exception {
        LdapConfig base = config(slapd.plainHost(), true, false, null, Duration.ofSeconds(3));
        LdapConfig.UserSearch search = base.userSearch();
        LdapConfig both = new LdapConfig(base.host(), true, false, false, null, base.bindDN(), base.bindPW(), null,
                new LdapConfig.UserSearch(search.baseDN(), search.filter(), List.of("uid", "mail"), search.scope(),
                        search.idAttr(), search.emailAttr(), search.nameAttr(), null, null), null, base.timeout());
        try (LdapConnector ldap = new LdapConnector("corp", both)) {
            assertEquals("alice", accepted(ldap.login("alice@example.org", "alice-secret")).username());
            assertEquals("alice", accepted(ldap.login("alice", "alice-secret")).preferredUsername());
        }
    }

    @Test
    void aNameFullOfFilterSpecialsIsSearchedForAsItIs() throws Exception {
        try (LdapConnector ldap = plain()) {
            UpstreamIdentity owen = accepted(ldap.login("o*brien(x)", "obrien-secret"));
            assertEquals("o*brien(x)", owen.username());
            assertEquals(Set.of("developers", "engineering"), Set.copyOf(owen.groups()));
        }
    }

    @Test
    void injectionEmptyAndWrongPasswordsAreRefused() throws Exception {
        try (LdapConnector ldap = plain()) {
            for (String name : List.of("*", "a*", "alice)(uid=*", "*)(|(uid=*", "alice)(|(objectClass=*",
                    "alice\\", "\u0000alice", "o*brien*")) {
                assertInstanceOf(PasswordConnector.Refused.class, ldap.login(name, "alice-secret"), name);
            }
            assertEquals(new PasswordConnector.Refused("empty password"), ldap.login("alice", ""));
            assertEquals(new PasswordConnector.Refused("wrong password"), ldap.login("alice", "bob-secret"));
            assertEquals(new PasswordConnector.Refused("no such user"), ldap.login("mallory", "x"));
        }
    }

    @Test
    void ldapsAndStartTlsTrustTheConfiguredCaOnly() throws Exception {
        String ca = slapd.caPem();
        try (LdapConnector ldaps = new LdapConnector("tls", config(slapd.tlsHost(), false, false, ca,
                Duration.ofSeconds(3)));
             LdapConnector startTls = new LdapConnector("starttls", config(slapd.plainHost(), false, true, ca,
                     Duration.ofSeconds(3)));
             LdapConnector untrusted = new LdapConnector("untrusted", config(slapd.tlsHost(), false, false, null,
                     Duration.ofSeconds(3)))) {
            assertEquals("alice", accepted(ldaps.login("alice", "alice-secret")).username());
            assertEquals("alice", accepted(startTls.login("alice", "alice-secret")).username());
            assertThrows(ConnectorUnavailableException.class, () -> untrusted.login("alice", "alice-secret"));
        }
    }

    @Test
    void aLookupSeesTheDirectoryAsItIsNow() throws Exception {
        try (LdapConnector ldap = plain(); LDAPConnection admin = slapd.admin()) {
            assertTrue(accepted(ldap.lookup("carol")).groups().contains("staff"));
            admin.modify("cn=staff,ou=groups," + Slapd.SUFFIX,
                    new Modification(ModificationType.DELETE, "memberUid", "carol"));
            assertEquals(List.of(), accepted(ldap.lookup("carol")).groups());
            admin.delete("uid=carol,ou=people," + Slapd.SUFFIX);
            assertEquals(new PasswordConnector.Refused("no such user"), ldap.lookup("carol"));
        }
    }

    @Test
    void aSearchThatFindsSeveralPeopleIsAnErrorNotALogin() {
        LdapConfig ambiguous = new LdapConfig(slapd.plainHost(), true, false, false, null, Slapd.SERVICE_DN,
                Slapd.SERVICE_PASSWORD, null, new LdapConfig.UserSearch("ou=people," + Slapd.SUFFIX, null,
                List.of("objectClass"), LdapConfig.Scope.SUB, "uid", "mail", null, null, null), null, Duration.ofSeconds(3));
        try (LdapConnector ldap = new LdapConnector("ambiguous", ambiguous)) {
            assertThrows(ConnectorUnavailableException.class, () -> ldap.login("inetOrgPerson", "alice-secret"));
        }
    }

    /** A directory that accepts connections and never answers costs a login the timeout, not more. */
    @Test
    void aDirectoryThatNeverAnswersFailsWithinItsTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             LdapConnector ldap = new LdapConnector("silent", config("127.0.0.1:" + silent.getLocalPort(), true, false,
                     null, Duration.ofSeconds(1)))) {
            Instant start = Instant.now();
            assertThrows(ConnectorUnavailableException.class, () -> ldap.login("alice", "alice-secret"));
            Duration took = Duration.between(start, Instant.now());
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "refused after " + took);
        }
    }
}

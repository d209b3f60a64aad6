package io.lanyard.users.ldap;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import io.lanyard.users.ConnectorUnavailableException;
import io.lanyard.users.UpstreamIdentity;
import io.lanyard.users.PasswordConnector;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.SocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * An LDAP or Active Directory connector that behaves as Dex's does: search the person with the
 * service account, bind as them with the typed password, then find their groups through the user
 * matchers. Filters are built by the UnboundID SDK, which escapes values per RFC 4515, so a typed
 * name cannot change a filter. Connections come from a pool with connect and response timeouts on
 * every operation, so a slow directory holds up only its own logins (a login is a few operations:
 * the search, the bind, a group search per matcher and nesting level).
 */
public final class LdapConnector implements PasswordConnector, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LdapConnector.class);
    private static final String DN = "DN";
    /** Enough for the logins of a busy minute; connections are opened as needed. */
    private static final int MAX_CONNECTIONS = 10;
    private static final long MAX_CONNECTION_AGE_MILLIS = 5 * 60 * 1000L;
    /** Nested groups are followed this many levels at most: a cycle or a deep tree ends here. */
    private static final int MAX_GROUP_LEVELS = 10;

    private final String id;
    private final LdapConfig config;
    private final SearchScope userScope;
    private final @Nullable Filter userFilter;
    private final @Nullable Filter groupFilter;
    private LDAPConnectionPool pool;

    public LdapConnector(String id, LdapConfig config) {
        this.id = id;
        this.config = config;
        this.userScope = scope(config.userSearch().scope());
        this.userFilter = parse(config.userSearch().filter());
        this.groupFilter = config.groupSearch() == null ? null : parse(config.groupSearch().filter());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Login login(String username, String password) throws ConnectorUnavailableException {
        if (password == null || password.isEmpty()) {
            // an empty password is an unauthenticated bind (RFC 4513 5.1.2), which many servers take
            // as an anonymous success: refused before the directory is asked anything
            return new Refused("empty password");
        }
        SearchResultEntry entry = findUser(username);
        if (entry == null) {
            return new Refused("no such user");
        }
        try {
            pool().bindAndRevertAuthentication(new SimpleBindRequest(entry.getDN(), password));
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS || e.getResultCode() == ResultCode.CONSTRAINT_VIOLATION
                    || e.getResultCode() == ResultCode.UNWILLING_TO_PERFORM) {
                return new Refused("wrong password");
            }
            throw unavailable("bind as the user", e);
        }
        return new Accepted(identity(entry, username));
    }

    @Override
    public Login lookup(String username) throws ConnectorUnavailableException {
        SearchResultEntry entry = findUser(username);
        return entry == null ? new Refused("no such user") : new Accepted(identity(entry, username));
    }

    private @Nullable SearchResultEntry findUser(String username) throws ConnectorUnavailableException {
        LdapConfig.UserSearch search = config.userSearch();
        List<Filter> matches = new ArrayList<>();
        for (String attribute : search.username()) {
            matches.add(Filter.createEqualityFilter(attribute, username));
        }
        Filter filter = matches.size() == 1 ? matches.get(0) : Filter.createORFilter(matches);
        if (userFilter != null) {
            filter = Filter.createANDFilter(userFilter, filter);
        }
        SearchRequest request = new SearchRequest(search.baseDN(), userScope, filter, userAttributes());
        request.setSizeLimit(2);
        request.setTimeLimitSeconds(timeLimitSeconds());
        SearchResult result;
        try {
            result = pool().search(request);
        } catch (LDAPException e) {
            // NO_SUCH_OBJECT here means the base DN is wrong, not that the person is gone: a refresh
            // must not end everyone's session over a configuration mistake
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                throw new ConnectorUnavailableException("the user search found more than one entry");
            }
            throw unavailable("search the user", e);
        }
        List<SearchResultEntry> entries = result.getSearchEntries();
        if (entries.size() > 1) {
            // Dex refuses too: a filter that is not unique would let one person log in as another
            throw new ConnectorUnavailableException("the user search found more than one entry");
        }
        return entries.isEmpty() ? null : entries.get(0);
    }

    private String[] userAttributes() {
        LdapConfig.UserSearch search = config.userSearch();
        Set<String> attributes = new LinkedHashSet<>(search.username());
        for (String name : new String[] {search.idAttr(), search.emailAttr(), search.nameAttr(),
                search.preferredUsernameAttr()}) {
            if (name != null && !DN.equalsIgnoreCase(name)) {
                attributes.add(name);
            }
        }
        if (config.groupSearch() != null) {
            for (LdapConfig.UserMatcher matcher : config.groupSearch().userMatchers()) {
                if (!DN.equalsIgnoreCase(matcher.userAttr())) {
                    attributes.add(matcher.userAttr());
                }
            }
        }
        return attributes.toArray(String[]::new);
    }

    private UpstreamIdentity identity(SearchResultEntry entry, String typed) throws ConnectorUnavailableException {
        LdapConfig.UserSearch search = config.userSearch();
        String upstreamId = id(entry, search.idAttr());
        if (upstreamId == null || upstreamId.isEmpty()) {
            throw new ConnectorUnavailableException("the user entry has no " + search.idAttr());
        }
        // the first username attribute the entry has: the same name whichever one the person typed,
        // and the one a refresh finds them by again
        String username = typed;
        for (String attribute : search.username()) {
            String value = value(entry, attribute);
            if (value != null && !value.isEmpty()) {
                username = value;
                break;
            }
        }
        String name = search.nameAttr() == null ? null : value(entry, search.nameAttr());
        String preferred = search.preferredUsernameAttr() == null ? username : value(entry, search.preferredUsernameAttr());
        String email = search.emailSuffix() != null && name != null ? name + "@" + search.emailSuffix()
                : search.emailAttr() == null ? null : value(entry, search.emailAttr());
        // as Dex: the directory is the authority on its own addresses
        return new UpstreamIdentity(upstreamId, username, preferred, email, email != null, name, groups(entry));
    }

    /** Binary ids (Active Directory's objectGUID and objectSid) as hex, every other id as text. */
    private static @Nullable String id(SearchResultEntry entry, String attribute) {
        if (attribute.equalsIgnoreCase("objectGUID") || attribute.equalsIgnoreCase("objectSid")) {
            byte[] bytes = entry.getAttributeValueBytes(attribute);
            return bytes == null ? null : java.util.HexFormat.of().formatHex(bytes);
        }
        return value(entry, attribute);
    }

    private List<String> groups(SearchResultEntry user) throws ConnectorUnavailableException {
        LdapConfig.GroupSearch search = config.groupSearch();
        if (search == null) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (LdapConfig.UserMatcher matcher : search.userMatchers()) {
            List<String> values = DN.equalsIgnoreCase(matcher.userAttr()) ? List.of(user.getDN())
                    : List.of(user.getAttributeValues(matcher.userAttr()) == null ? new String[0]
                            : user.getAttributeValues(matcher.userAttr()));
            Set<String> seenGroups = new LinkedHashSet<>();
            List<SearchResultEntry> level = new ArrayList<>();
            for (String value : values) {
                level.addAll(groupsWhere(matcher.groupAttr(), value));
            }
            for (int depth = 0; depth < MAX_GROUP_LEVELS && !level.isEmpty(); depth++) {
                List<SearchResultEntry> next = new ArrayList<>();
                for (SearchResultEntry group : level) {
                    if (!seenGroups.add(group.getDN().toLowerCase())) {
                        continue;
                    }
                    String groupName = group.getAttributeValue(search.nameAttr());
                    if (groupName != null) {
                        names.add(groupName);
                    }
                    if (matcher.recursionGroupAttr() != null) {
                        next.addAll(groupsWhere(matcher.recursionGroupAttr(), group.getDN()));
                    }
                }
                level = next;
            }
        }
        return List.copyOf(names);
    }

    /** Groups whose {@code attribute} holds {@code value}; {@code attr:rule-oid:} is an extensible match (AD's in-chain). */
    private List<SearchResultEntry> groupsWhere(String attribute, String value) throws ConnectorUnavailableException {
        LdapConfig.GroupSearch search = config.groupSearch();
        Filter filter;
        int colon = attribute.indexOf(':');
        if (colon > 0) {
            String rule = attribute.substring(colon + 1).replaceAll(":$", "");
            filter = Filter.createExtensibleMatchFilter(attribute.substring(0, colon), rule, false, value);
        } else {
            filter = Filter.createEqualityFilter(attribute, value);
        }
        if (groupFilter != null) {
            filter = Filter.createANDFilter(groupFilter, filter);
        }
        SearchRequest request = new SearchRequest(search.baseDN(), scope(search.scope()), filter, search.nameAttr());
        request.setTimeLimitSeconds(timeLimitSeconds());
        try {
            return pool().search(request).getSearchEntries();
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return List.of();
            }
            throw unavailable("search groups", e);
        }
    }

    private static @Nullable String value(SearchResultEntry entry, String attribute) {
        return DN.equalsIgnoreCase(attribute) ? entry.getDN() : entry.getAttributeValue(attribute);
    }

    private int timeLimitSeconds() {
        return (int) Math.max(1, config.timeout().toSeconds());
    }

    private ConnectorUnavailableException unavailable(String what, LDAPException e) {
        // the SDK's message may carry a DN; never a password, which is not part of any request it logs
        LOG.warn("LDAP connector {} could not {}: {} ({})", id, what, e.getResultCode(), e.getDiagnosticMessage());
        return new ConnectorUnavailableException("the directory of connector " + id + " did not answer: "
                + e.getResultCode().getName());
    }

    /** The pool, opened at first use so that a directory that is down does not stop the server. */
    private synchronized LDAPConnectionPool pool() throws ConnectorUnavailableException {
        if (pool != null) {
            return pool;
        }
        try {
            LDAPConnectionOptions options = new LDAPConnectionOptions();
            int millis = (int) config.timeout().toMillis();
            options.setConnectTimeoutMillis(millis);
            options.setResponseTimeoutMillis(millis);
            options.setAbandonOnTimeout(true);
            SSLUtil tls = config.insecureNoSSL() ? null : new SSLUtil(trustManager());
            if (tls != null && !config.insecureSkipVerify()) {
                options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
            }
            SocketFactory sockets = tls == null || config.startTLS() ? SocketFactory.getDefault()
                    : tls.createSSLSocketFactory();
            SingleServerSet server = new SingleServerSet(config.hostName(), config.port(), sockets, options);
            BindRequest bind = config.bindDN() == null ? null : new SimpleBindRequest(config.bindDN(), config.bindPW());
            StartTLSPostConnectProcessor startTls = tls != null && config.startTLS()
                    ? new StartTLSPostConnectProcessor(tls.createSSLContext()) : null;
            LDAPConnectionPool created = new LDAPConnectionPool(server, bind, 0, MAX_CONNECTIONS, 1, startTls, false);
            created.setCreateIfNecessary(true);
            // a connection a firewall dropped while idle fails once and is replaced, not the login
            created.setRetryFailedOperationsDueToInvalidConnections(true);
            created.setMaxConnectionAgeMillis(MAX_CONNECTION_AGE_MILLIS);
            created.setMaxWaitTimeMillis(millis);
            created.setConnectionPoolName("ldap-" + id);
            pool = created;
            return pool;
        } catch (LDAPException e) {
            throw unavailable("connect", e);
        } catch (GeneralSecurityException e) {
            throw new ConnectorUnavailableException("connector " + id + " cannot set up TLS: " + e.getMessage());
        }
    }

    private TrustManager trustManager() throws GeneralSecurityException {
        if (config.insecureSkipVerify()) {
            return new TrustAllTrustManager();
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        if (config.rootCAData() == null) {
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            return system.getTrustManagers()[0];
        }
        int n = 0;
        for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(config.rootCAData().getBytes(StandardCharsets.US_ASCII)))) {
            store.setCertificateEntry("ca-" + n++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers()[0];
    }

    private static SearchScope scope(LdapConfig.Scope scope) {
        return scope == LdapConfig.Scope.ONE ? SearchScope.ONE : SearchScope.SUB;
    }

    private static @Nullable Filter parse(@Nullable String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        try {
            return Filter.create(filter);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("not an LDAP filter: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}

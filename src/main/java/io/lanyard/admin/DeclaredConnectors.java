package io.lanyard.admin;

import io.lanyard.oauth.Endpoints;
import io.lanyard.oauth.IssuerUrl;
import io.lanyard.users.Connector;
import io.lanyard.users.Connectors;
import io.lanyard.users.ldap.LdapConnector;
import io.lanyard.users.oidc.OidcConfig;
import io.lanyard.users.oidc.OidcConnector;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The file's connectors made real for this issuer; none is contacted until a login needs it. */
public final class DeclaredConnectors {
    private DeclaredConnectors() {
    }

    public static List<Connectors.Configured> build(String file, List<ParsedConfig.DeclaredConnector> declared,
                                                    String issuer, Clock clock) {
        List<Connectors.Configured> built = new ArrayList<>();
        for (int i = 0; i < declared.size(); i++) {
            ParsedConfig.DeclaredConnector entry = declared.get(i);
            built.add(new Connectors.Configured(entry.settings(), connector(file, i, entry, issuer, clock)));
        }
        return built;
    }

    public static Connector connector(String file, int index, ParsedConfig.DeclaredConnector entry, String issuer,
                                      Clock clock) {
        String id = entry.settings().id();
        if (entry.ldap() != null) {
            return new LdapConnector(id, entry.ldap());
        }
        OidcConfig oidc = entry.oidc();
        String callback = IssuerUrl.endpoint(issuer, Endpoints.CALLBACK);
        if (oidc.redirectUri() != null && !oidc.redirectUri().equals(callback)) {
            // the upstream sends people back to where it was told; anywhere else, Lanyard is not listening
            throw new ConfigFileException(file, entry.line(), "connectors[" + index + "].config.redirectURI",
                    "must be " + callback + " (this issuer's /callback), or be left out");
        }
        return new OidcConnector(id, oidc.withRedirectUri(callback), clock);
    }
}

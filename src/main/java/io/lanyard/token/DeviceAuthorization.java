package io.lanyard.token;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.clients.Client;
import io.lanyard.config.LanyardProperties;
import io.lanyard.oauth.Endpoints;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.IssuerUrl;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.ScopeSyntax;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RFC 8628 3.1 and 3.2: a device (kubelogin on an SSH host, a CI runner) asks for a device code and
 * a user code for an authenticated or public client that may use the device grant. The scope is
 * checked as at /authorize. A {@code code_challenge} (S256) is optional: with one, the poll must
 * carry its verifier, which binds the tokens to the process that started the flow.
 */
@Singleton
public class DeviceAuthorization {
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final DeviceCodes codes;
    private final String verificationUri;

    public DeviceAuthorization(DeviceCodes codes, LanyardProperties lanyard) {
        this.codes = codes;
        this.verificationUri = IssuerUrl.endpoint(lanyard.issuer(), Endpoints.DEVICE_VERIFICATION);
    }

    /** The RFC 8628 3.2 JSON answer. */
    public String authorize(Client client, @Nullable String requestedScope, @Nullable String codeChallenge,
                            @Nullable String challengeMethod) {
        if (!client.allowsGrant(GrantTypes.DEVICE_CODE)) {
            throw OAuthException.unauthorizedClient("the client may not use grant_type " + GrantTypes.DEVICE_CODE);
        }
        Set<String> scope = scope(client, requestedScope);
        String challenge = challenge(codeChallenge, challengeMethod);
        DeviceCodes.Issued issued = codes.issue(client.clientId(), scope, challenge);
        String userCode = UserCodes.display(issued.userCode());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("device_code", issued.deviceCode());
        json.put("user_code", userCode);
        json.put("verification_uri", verificationUri);
        json.put("verification_uri_complete", verificationUri + "?user_code="
                + URLEncoder.encode(userCode, StandardCharsets.UTF_8));
        json.put("expires_in", issued.lifetime().toSeconds());
        json.put("interval", issued.interval().toSeconds());
        return JSONObjectUtils.toJSONString(json);
    }

    private static Set<String> scope(Client client, @Nullable String requested) {
        if (requested == null || requested.isEmpty()) {
            if (client.defaultScopes().isEmpty()) {
                throw OAuthException.invalidScope("scope is missing and the client has no default scopes");
            }
            return client.defaultScopes();
        }
        if (!ScopeSyntax.isList(requested)) {
            throw OAuthException.invalidScope("scope is not a space-separated list of scope tokens");
        }
        Set<String> scope = new LinkedHashSet<>(List.of(requested.split(" ")));
        if (!client.scopes().containsAll(scope)) {
            throw OAuthException.invalidScope("a requested scope is not allowed for this client");
        }
        return scope;
    }

    /** RFC 7636 4.2 and 4.3: S256 only, as at /authorize. */
    private static @Nullable String challenge(@Nullable String challenge, @Nullable String method) {
        if (challenge == null) {
            if (method != null) {
                throw OAuthException.invalidRequest("code_challenge_method without code_challenge");
            }
            return null;
        }
        if (!"S256".equals(method)) {
            throw OAuthException.invalidRequest("code_challenge_method must be S256");
        }
        if (!CHALLENGE.matcher(challenge).matches()) {
            throw OAuthException.invalidRequest("code_challenge must be 43 characters of base64url");
        }
        return challenge;
    }
}

package io.lanyard.users.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.lanyard.oauth.ClockSkew;
import io.lanyard.users.ConnectorUnavailableException;
import io.lanyard.users.RedirectConnector;
import io.lanyard.users.UpstreamIdentity;
import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An upstream OpenID provider (Entra ID, Okta, Google, GitLab, Keycloak, another Lanyard) with Dex's
 * configuration: the authorization code flow with PKCE S256, {@code state} and {@code nonce}; the
 * upstream's id_token verified by its published keys ({@code iss}, {@code aud}, {@code exp},
 * {@code nonce}, an asymmetric algorithm the upstream lists); claims read as Dex reads them.
 */
public final class OidcConnector implements RedirectConnector {
    private final String id;
    private final OidcConfig config;
    private final UpstreamHttp http;
    private final UpstreamDiscovery discovery;
    private final ClientID clientId;
    private final Secret secret;
    private final URI redirectUri;

    public OidcConnector(String id, OidcConfig config, Clock clock) {
        this.id = id;
        this.config = config;
        this.http = new UpstreamHttp(config);
        this.discovery = new UpstreamDiscovery(config, http, clock);
        this.clientId = new ClientID(config.clientId());
        this.secret = new Secret(config.clientSecret());
        this.redirectUri = URI.create(config.redirectUri());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public URI authorizationUrl(Ask ask) throws ConnectorUnavailableException {
        UpstreamDiscovery.Upstream upstream = discovery.get();
        Scope scope = new Scope("openid");
        config.scopes().forEach(scope::add);
        Scope supported = upstream.metadata().getScopes();
        if (ask.offline() && (supported == null || supported.contains("offline_access"))) {
            // without it most providers give no refresh token, and a refresh could not re-validate the person
            scope.add("offline_access");
        }
        AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(ResponseType.CODE, scope, clientId,
                redirectUri)
                .endpointURI(upstream.metadata().getAuthorizationEndpointURI())
                .state(new State(ask.state()))
                .nonce(new Nonce(ask.nonce()))
                .codeChallenge(new CodeVerifier(ask.codeVerifier()), CodeChallengeMethod.S256);
        Set<String> prompt = new LinkedHashSet<>();
        if (ask.forceLogin()) {
            prompt.add("login");
        }
        if (ask.offline()) {
            // Dex's promptType: sent when a refresh token is asked for (Google gives one only with consent),
            // with Dex's access_type=offline, which Google wants instead of the offline_access scope
            prompt.addAll(List.of(config.promptType().split(" +")));
            request.customParameter("access_type", "offline");
        }
        prompt.remove("");
        if (prompt.size() > 1) {
            // none goes with no other value; a login asked for wins over a configured none
            prompt.remove("none");
        }
        if (!prompt.isEmpty()) {
            try {
                request.prompt(Prompt.parse(String.join(" ", prompt)));
            } catch (ParseException e) {
                // the configuration parser accepts only prompt values
                throw new IllegalStateException("prompt " + prompt, e);
            }
        }
        if (ask.maxAge() != null) {
            request.maxAge((int) Math.min(Integer.MAX_VALUE, ask.maxAge()));
        }
        return request.build().toURI();
    }

    /** Discovery and key fetches (each may wait for another's, twice the timeout), the token and userinfo calls. */
    @Override
    public Duration longestCall() {
        return config.timeout().multipliedBy(8).plusSeconds(2);
    }

    @Override
    public boolean callbackIssuerAccepted(@Nullable String iss) throws ConnectorUnavailableException {
        if (iss == null) {
            return !discovery.get().metadata().supportsAuthorizationResponseIssuerParam();
        }
        return iss.equals(config.issuer());
    }

    @Override
    public Answer redeem(String code, String codeVerifier, String nonce) throws ConnectorUnavailableException {
        UpstreamDiscovery.Upstream upstream = discovery.get();
        return tokens(upstream, new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri,
                new CodeVerifier(codeVerifier)), new Nonce(nonce), null);
    }

    @Override
    public Answer refresh(String refreshToken) throws ConnectorUnavailableException {
        UpstreamDiscovery.Upstream upstream = discovery.get();
        return tokens(upstream, new RefreshTokenGrant(new RefreshToken(refreshToken)), null, refreshToken);
    }

    /**
     * One token request and what its answer says of the person.
     *
     * @param nonce   what the id_token must carry (a login); null at a refresh (OIDC Core 12.2)
     * @param current the refresh token presented, kept when the upstream does not rotate it
     */
    private Answer tokens(UpstreamDiscovery.Upstream upstream, AuthorizationGrant grant, @Nullable Nonce nonce,
                          @Nullable String current) throws ConnectorUnavailableException {
        HTTPResponse response = http.send(new TokenRequest(upstream.metadata().getTokenEndpointURI(),
                clientAuthentication(upstream), grant).toHTTPRequest());
        TokenResponse parsed;
        try {
            parsed = TokenResponse.parse(response);
        } catch (ParseException e) {
            throw new ConnectorUnavailableException("the upstream's token endpoint answered " + response.getStatusCode()
                    + " with something that is not a token response");
        }
        if (!parsed.indicatesSuccess()) {
            ErrorObject error = parsed.toErrorResponse().getErrorObject();
            if (OAuth2Error.INVALID_GRANT.getCode().equals(error.getCode())) {
                return new Refused("the upstream refused the " + (nonce != null ? "code" : "refresh token")
                        + " (invalid_grant)");
            }
            // anything else (invalid_client, a 5xx, temporarily_unavailable) says nothing about the person
            throw new ConnectorUnavailableException("the upstream's token endpoint answered " + response.getStatusCode()
                    + " " + error.getCode());
        }
        AccessTokenResponse success = parsed.toSuccessResponse();
        Object idToken = success.getCustomParameters().get("id_token");
        Map<String, Object> claims = new HashMap<>();
        String subject = null;
        Instant authTime = null;
        if (idToken instanceof String jwt) {
            try {
                IDTokenClaimsSet verified = verify(upstream, jwt, nonce);
                claims.putAll(verified.toJSONObject());
                subject = verified.getSubject().getValue();
                authTime = verified.getAuthenticationTime() == null ? null : verified.getAuthenticationTime().toInstant();
            } catch (BadJOSEException | java.text.ParseException e) {
                return new Refused("the upstream's id_token does not verify: " + e.getMessage());
            } catch (JOSEException e) {
                throw new ConnectorUnavailableException("the upstream's id_token cannot be checked: " + e.getMessage());
            }
        } else if (nonce != null) {
            return new Refused("the upstream's token response carries no id_token");
        }
        boolean userInfo = config.getUserInfo() || subject == null;
        if (userInfo) {
            // getUserInfo asks for claims the id_token leaves out; a refresh without an id_token must ask anyway
            String refused = userInfo(upstream, success.getTokens().getBearerAccessToken(), subject, claims);
            if (refused != null) {
                return new Refused(refused);
            }
        }
        UpstreamIdentity identity;
        try {
            identity = UpstreamClaims.read(claims, config);
        } catch (UpstreamClaims.Unusable e) {
            return new Refused(e.getMessage());
        }
        RefreshToken rotated = success.getTokens().getRefreshToken();
        return new Verified(identity, rotated != null ? rotated.getValue() : current, authTime);
    }

    private IDTokenClaimsSet verify(UpstreamDiscovery.Upstream upstream, String jwt, @Nullable Nonce nonce)
            throws BadJOSEException, JOSEException, java.text.ParseException {
        IDTokenValidator validator = new IDTokenValidator(new Issuer(config.issuer()), clientId,
                new JWSVerificationKeySelector<SecurityContext>(upstream.algorithms(), upstream.keys()), null);
        validator.setMaxClockSkew((int) ClockSkew.TOLERANCE.toSeconds());
        return validator.validate(JWTParser.parse(jwt), nonce);
    }

    /** Adds the userinfo claims; a refusal's reason, or null. */
    private @Nullable String userInfo(UpstreamDiscovery.Upstream upstream, @Nullable BearerAccessToken token,
                                      @Nullable String subject, Map<String, Object> claims)
            throws ConnectorUnavailableException {
        URI endpoint = upstream.metadata().getUserInfoEndpointURI();
        if (endpoint == null || token == null) {
            return subject == null ? "the upstream sent no id_token and has no userinfo endpoint" : null;
        }
        HTTPResponse response = http.send(new UserInfoRequest(endpoint, token).toHTTPRequest());
        if (response.getStatusCode() == 401) {
            return "the upstream's userinfo endpoint refused the access token";
        }
        UserInfoResponse parsed;
        try {
            parsed = UserInfoResponse.parse(response);
        } catch (ParseException e) {
            parsed = null;
        }
        if (parsed == null || !parsed.indicatesSuccess()) {
            // a 429, a 5xx, a proxy's HTML page: nothing said about the person
            throw new ConnectorUnavailableException("the upstream's userinfo endpoint answered " + response.getStatusCode());
        }
        UserInfo info = parsed.toSuccessResponse().getUserInfo();
        if (info == null) {
            return "the upstream's userinfo answer is a JWT, which Lanyard does not read";
        }
        // OIDC Core 5.3.2: a userinfo answer about someone else must not be used
        if (subject != null && !subject.equals(info.getSubject().getValue())) {
            return "the upstream's userinfo answer is about another subject";
        }
        Map<String, Object> fromUserInfo = new HashMap<>(info.toJSONObject());
        if (subject != null) {
            // the id_token's issuer, audience and times stay those that were verified
            List.of("iss", "aud", "exp", "iat", "nonce", "azp").forEach(fromUserInfo::remove);
        }
        claims.putAll(fromUserInfo);
        return null;
    }

    /** Dex's basicAuthUnsupported, else what the upstream's metadata lists (basic when it lists nothing). */
    private ClientAuthentication clientAuthentication(UpstreamDiscovery.Upstream upstream) {
        boolean post;
        if (config.basicAuthUnsupported() != null) {
            post = config.basicAuthUnsupported();
        } else {
            List<ClientAuthenticationMethod> methods = upstream.metadata().getTokenEndpointAuthMethods();
            post = methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        }
        return post ? new ClientSecretPost(clientId, secret) : new ClientSecretBasic(clientId, secret);
    }

    @Override
    public String toString() {
        return "OidcConnector[" + id + ", " + config.issuer() + "]";
    }
}

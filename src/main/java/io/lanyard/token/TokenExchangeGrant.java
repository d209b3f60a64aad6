package io.lanyard.token;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.Scope;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.config.LanyardProperties;
import io.lanyard.exchange.ExchangePolicies;
import io.lanyard.exchange.ExchangePolicy;
import io.lanyard.federation.RejectedTokenException;
import io.lanyard.federation.TrustedIssuers;
import io.lanyard.federation.VerifiedExternalToken;
import io.lanyard.jwt.OwnAccessTokens;
import io.lanyard.jwt.OwnTokens;
import io.lanyard.jwt.TokenKind;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.Parameters;
import io.lanyard.oauth.TokenTypes;
import io.lanyard.users.UserStatusCache;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * RFC 8693 token exchange, for a service calling another on someone's behalf. With an
 * actor_token it is delegation: the new token keeps the subject's {@code sub} and names the
 * caller in {@code act} (nesting any {@code act} the subject token had). Without one it is
 * impersonation, which only a policy may allow. The caller must be a party to the subject token
 * (its {@code azp}/{@code client_id}, in its {@code aud}, or named by {@code may_act}); scope only
 * narrows; the new token never outlives the subject token unless the policy allows it. Refusals do not say which policy
 * rule failed. Everything it reads is in memory (keys, clients, policies, which users are
 * disabled), so it runs on the event loop like client credentials.
 */
@Singleton
public class TokenExchangeGrant implements GrantHandler {
    public static final String GRANT = GrantTypes.TOKEN_EXCHANGE;
    private static final Logger LOG = LoggerFactory.getLogger(TokenExchangeGrant.class);

    private final ExchangePolicies policies;
    private final OwnTokens ownTokens;
    private final OwnAccessTokens accessTokens;
    private final UserStatusCache userStatus;
    private final ClientRegistry clients;
    private final AccessTokenIssuer issuer;
    private final TrustedIssuers trustedIssuers;
    private final String ownIssuer;

    public TokenExchangeGrant(ExchangePolicies policies, OwnTokens ownTokens, OwnAccessTokens accessTokens,
                              UserStatusCache userStatus, ClientRegistry clients, AccessTokenIssuer issuer,
                              TrustedIssuers trustedIssuers, LanyardProperties lanyard) {
        this.trustedIssuers = trustedIssuers;
        this.ownIssuer = lanyard.issuer();
        this.policies = policies;
        this.ownTokens = ownTokens;
        this.accessTokens = accessTokens;
        this.userStatus = userStatus;
        this.clients = clients;
        this.issuer = issuer;
    }

    @Override
    public String grantType() {
        return GRANT;
    }


    /**
     * A subject token of type jwt may come from a trusted issuer, whose keys may have to be
     * fetched: such requests go to the blocking pool. Lanyard's own tokens are checked in memory.
     */
    @Override
    public boolean blocking(Map<String, List<String>> parameters) {
        return TokenTypes.JWT.equals(Parameters.single(parameters, "subject_token_type"));
    }

    @Override
    public IssuedToken handle(GrantRequest request) {
        Client client = request.client();
        // confidential: it proved itself with a secret, a key, a TLS certificate or a trusted issuer's token
        if (client.publicClient()) {
            throw OAuthException.unauthorizedClient("only confidential clients may exchange tokens");
        }
        ExchangePolicy policy = policies.of(client.clientId())
                .orElseThrow(() -> OAuthException.unauthorizedClient("the client may not exchange tokens"));
        String subjectToken = request.parameter("subject_token");
        String subjectType = request.parameter("subject_token_type");
        if (subjectToken == null || subjectType == null) {
            throw OAuthException.invalidRequest("subject_token and subject_token_type are required");
        }
        String actorToken = request.parameter("actor_token");
        String actorType = request.parameter("actor_token_type");
        if ((actorToken == null) != (actorType == null)) {
            throw OAuthException.invalidRequest("actor_token and actor_token_type go together");
        }
        String requestedType = request.parameter("requested_token_type");
        if (requestedType != null && !requestedType.equals(TokenTypes.ACCESS_TOKEN) && !requestedType.equals(TokenTypes.JWT)) {
            throw OAuthException.invalidRequest("requested_token_type must be access_token or jwt");
        }

        JWTClaimsSet subject = subject(subjectToken, subjectType, policy);
        checkParty(client, subject);
        checkSubjectActive(subject);

        Map<String, Object> act = null;
        if (actorToken != null) {
            JWTClaimsSet actor = verify(actorToken, actorType, policy, "actor_token");
            String actorClient = stringClaim(actor, "client_id");
            if (!client.clientId().equals(actorClient) && !client.clientId().equals(actor.getSubject())) {
                throw refused("the actor token was not issued to the requesting client");
            }
            Object mayAct = subject.getClaim("may_act");
            if (mayAct instanceof Map<?, ?> allowed && !actor.getSubject().equals(allowed.get("sub"))) {
                throw refused("may_act names another actor");
            }
            act = new LinkedHashMap<>();
            act.put("sub", actor.getSubject());
            if (actorClient != null) {
                act.put("client_id", actorClient);
            }
            if (subject.getClaim("act") instanceof Map<?, ?> prior) {
                act.put("act", prior);
            }
        } else if (!policy.impersonation()) {
            throw refused("impersonation is not allowed for this client");
        }

        List<String> audience = audience(request, policy);
        Scope scope = scope(request.parameter("scope"), subject, policy);
        boolean jwt = TokenTypes.JWT.equals(requestedType);
        IssuedToken issued = issuer.issue(AccessTokenSpec.of(request, client, subject.getSubject(), audience, scope)
                .notAfter(outlives(client, policy, subject) ? null : subject.getExpirationTime().toInstant())
                .claims(act == null ? Map.of() : Map.of("act", act))
                .kind(jwt ? TokenKind.EXCHANGED_JWT : TokenKind.ACCESS_TOKEN));
        LOG.debug("token exchanged: client={} subject={} audience={} delegation={}", client.clientId(),
                subject.getSubject(), audience, act != null);
        return new IssuedToken(GRANT, issued.accessToken(), issued.expiresIn(), issued.scope(), null, null,
                jwt ? TokenTypes.JWT : TokenTypes.ACCESS_TOKEN, issued.accessTokenId());
    }

    /**
     * A token from a trusted issuer (a pod's service-account token). Its subject maps to one
     * Lanyard client; that client is the party who may exchange it, and the new token's subject.
     */
    private JWTClaimsSet external(@Nullable SignedJWT token, @Nullable String iss, ExchangePolicy policy) {
        if (token == null || iss == null || !policy.subjectIssuers().contains(iss)) {
            throw refused("the subject token's issuer is not accepted for this client");
        }
        VerifiedExternalToken verified;
        try {
            verified = trustedIssuers.verify(token);
        } catch (RejectedTokenException e) {
            LOG.info("token exchange refused: subject_token {}", e.getMessage());
            throw OAuthException.invalidGrant("the subject_token is invalid or expired");
        }
        // the mapped client is the subject and the party: a service exchanges its own workload's token
        return new JWTClaimsSet.Builder()
                .issuer(verified.issuer())
                .subject(verified.mappedClientId())
                .claim("client_id", verified.mappedClientId())
                .expirationTime(verified.claims().getExpirationTime())
                .build();
    }

    /**
     * The subject token's claims. A {@code jwt} not of Lanyard's own issuer is a trusted issuer's; it is
     * parsed once, and that parse both chooses the verifier and is verified.
     */
    private JWTClaimsSet subject(String token, String type, ExchangePolicy policy) {
        if (TokenTypes.JWT.equals(type)) {
            SignedJWT parsed = TrustedIssuers.parse(token);
            String iss = parsed == null ? null : TrustedIssuers.unverifiedIssuer(parsed);
            if (!ownIssuer.equals(iss)) {
                return external(parsed, iss, policy);
            }
        }
        return verify(token, type, policy, "subject_token");
    }


    private JWTClaimsSet verify(String token, String type, ExchangePolicy policy, String name) {
        if (!policy.subjectIssuers().contains(ExchangePolicy.SELF)) {
            throw refused("this client does not accept Lanyard's own tokens");
        }
        // each token type accepts its own kind only; a jwt of Lanyard's own is either kind with access-token claims,
        // and an access token is untyped only from a client registered for that (OwnAccessTokens)
        try {
            return switch (type) {
                case TokenTypes.ACCESS_TOKEN -> accessTokens.verify(token);
                case TokenTypes.ID_TOKEN -> ownTokens.verify(token, TokenKind.ID_TOKEN, true);
                case TokenTypes.JWT -> ownTokens.verify(token, TokenKind.WITH_ACCESS_CLAIMS, true);
                default -> throw OAuthException.invalidRequest(name + "_type is not supported");
            };
        } catch (OwnTokens.InvalidTokenException e) {
            LOG.info("token exchange refused: {} {}", name, e.getMessage());
            throw OAuthException.invalidGrant("the " + name + " is invalid or expired");
        }
    }

    /**
     * Only where the policy says so, and never for a token the caller itself was issued: otherwise
     * a client could exchange its own output again and again and keep a user's token alive forever.
     */
    private static boolean outlives(Client client, ExchangePolicy policy, JWTClaimsSet subject) {
        return policy.mayOutliveSubject() && !client.clientId().equals(stringClaim(subject, "client_id"));
    }

    /** RFC 8693 leaves it to policy; this one: the caller must be a party to the subject token. */
    private static void checkParty(Client client, JWTClaimsSet subject) {
        String id = client.clientId();
        boolean party = id.equals(stringClaim(subject, "azp")) || id.equals(stringClaim(subject, "client_id"))
                || (subject.getAudience() != null && subject.getAudience().contains(id))
                || (subject.getClaim("may_act") instanceof Map<?, ?> mayAct
                    && (id.equals(mayAct.get("sub")) || id.equals(mayAct.get("client_id"))));
        if (!party) {
            throw refused("the subject token was not issued to, for or with the requesting client");
        }
    }

    /** A person's token stops being exchangeable the moment they are disabled; a service's when it is deleted. */
    private void checkSubjectActive(JWTClaimsSet subject) {
        String sub = subject.getSubject();
        if (sub == null) {
            throw refused("the subject token names no subject");
        }
        boolean activeUser = userStatus.active(sub);
        boolean activeClient = clients.find(sub).isPresent();
        if (!activeUser && !activeClient) {
            throw refused("the subject is disabled or unknown");
        }
    }

    private static List<String> audience(GrantRequest request, ExchangePolicy policy) {
        Set<String> requested = new LinkedHashSet<>(request.all("audience"));
        requested.addAll(request.all("resource"));
        if (requested.isEmpty()) {
            throw OAuthException.invalidTarget("name the audience or resource the token is for");
        }
        for (String audience : requested) {
            if (!policy.audiences().contains(audience)) {
                throw OAuthException.invalidTarget("the requested audience is not available to this client");
            }
        }
        return List.copyOf(requested);
    }

    private static Scope scope(String requested, JWTClaimsSet subject, ExchangePolicy policy) {
        String had = stringClaim(subject, "scope");
        Set<String> carried = had == null ? Set.of() : Set.of(had.split(" "));
        Set<String> wanted;
        if (requested == null) {
            wanted = new LinkedHashSet<>(carried);
            wanted.retainAll(policy.scopes());
        } else {
            wanted = new LinkedHashSet<>(List.of(requested.trim().split(" +")));
            if (!carried.containsAll(wanted) || !policy.scopes().containsAll(wanted)) {
                throw OAuthException.invalidScope("the requested scope exceeds what may be granted");
            }
        }
        return new Scope(new TreeSet<>(wanted).toArray(String[]::new));
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    private static OAuthException refused(String reason) {
        LOG.info("token exchange refused: {}", reason);
        return OAuthException.invalidGrant("the token exchange is not permitted");
    }
}

package io.lanyard.kube;

import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.Client;
import io.lanyard.jwt.OwnTokens;
import io.lanyard.jwt.TokenKind;
import io.lanyard.users.UserStatusCache;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-apiserver's question "who is this token?" (authentication.k8s.io TokenReview), answered from
 * memory: the key ring, the revocation list and which users are disabled. A Lanyard id_token or access
 * token of a person counts when it is for one of the clients the calling cluster names in its
 * {@code audiences}; it becomes the user {@code lanyard kube apiserver-config} would have the apiserver
 * make. No HTTP types: the controller reads and writes the JSON.
 */
@Singleton
public class TokenReview {
    /** {@code user.extra} keys: domain-prefixed and lower case, as Kubernetes requires of extra keys. */
    static final String EXTRA_CLIENT_ID = "lanyard.io/client-id";
    static final String EXTRA_ACTORS = "lanyard.io/actors";
    static final String EXTRA_SCOPE = "lanyard.io/scope";

    /** What the review says. */
    public sealed interface Answer permits Authenticated, Unauthenticated {
    }

    /**
     * @param audiences those of {@code spec.audiences} the token is for; empty means "for this API
     *                  server's own audience" (the TokenReview API's convention)
     */
    public record Authenticated(String username, String uid, List<String> groups, Map<String, List<String>> extra,
                                List<String> audiences) implements Answer {
    }

    public record Unauthenticated(String error) implements Answer {
    }

    private final OwnTokens tokens;
    private final UserStatusCache users;
    private final ClaimNames claims;

    public TokenReview(OwnTokens tokens, UserStatusCache users, TokenReviewProperties properties) {
        this.tokens = tokens;
        this.users = users;
        this.claims = properties.claims();
    }

    /**
     * @param cluster       the calling cluster's client: its {@code audiences} are the clients whose
     *                      tokens it accepts
     * @param specAudiences {@code spec.audiences}; empty when the apiserver sent none
     */
    public Answer review(Client cluster, @Nullable String token, List<String> specAudiences) {
        JWTClaimsSet verified;
        try {
            verified = tokens.verify(token, EnumSet.of(TokenKind.ID_TOKEN, TokenKind.ACCESS_TOKEN,
                    TokenKind.EXCHANGED_JWT), true);
        } catch (OwnTokens.InvalidTokenException e) {
            return new Unauthenticated("not a valid Lanyard token: " + e.getMessage());
        }
        if (verified.getClaim("cnf") != null) {
            // bound to a client certificate (RFC 8705): the webhook cannot see who presented it
            return new Unauthenticated("the token is bound to a client certificate and cannot be used as a bearer "
                    + "token here");
        }
        List<String> audience = verified.getAudience() == null ? List.of() : verified.getAudience();
        if (audience.stream().noneMatch(cluster.audiences()::contains)) {
            return new Unauthenticated("the token is for " + audience + ", none of the clients this cluster accepts");
        }
        String subject = verified.getSubject();
        Object clientId = verified.getClaim("client_id") != null ? verified.getClaim("client_id")
                : verified.getClaim("azp");
        if (subject == null || subject.equals(clientId) || !users.active(subject)) {
            return new Unauthenticated("the token's user is disabled, deleted, or not a person");
        }
        String name;
        List<String> groups = new ArrayList<>();
        try {
            name = verified.getStringClaim(claims.usernameClaim());
            List<String> tokenGroups = verified.getStringListClaim("groups");
            if (tokenGroups != null) {
                tokenGroups.forEach(group -> groups.add(claims.group(group)));
            }
        } catch (ParseException e) {
            return new Unauthenticated("the token's claims are not of the expected types");
        }
        if (name == null) {
            return new Unauthenticated("the token has no " + claims.usernameClaim() + " claim (an access token "
                    + "carries none: review the id_token, or set LANYARD_TOKEN_REVIEW_USERNAME_CLAIM=sub)");
        }
        if ("email".equals(claims.usernameClaim()) && Boolean.FALSE.equals(verified.getClaim("email_verified"))) {
            return new Unauthenticated("the token's email is not verified");
        }
        String username = claims.usernamePrefix() + name;
        if (username.startsWith("system:") || groups.stream().anyMatch(g -> g.startsWith("system:"))) {
            return new Unauthenticated("a username or group must not start with system:");
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        if (clientId instanceof String client) {
            extra.put(EXTRA_CLIENT_ID, List.of(client));
        }
        if (verified.getClaim("scope") instanceof String scope) {
            extra.put(EXTRA_SCOPE, List.of(scope.split(" ")));
        }
        List<String> actors = actors(verified.getClaim("act"));
        if (!actors.isEmpty()) {
            extra.put(EXTRA_ACTORS, actors);
        }
        List<String> granted = specAudiences.stream().filter(audience::contains).toList();
        return new Authenticated(username, subject, groups, extra, granted);
    }

    /** RFC 8693 4.1: the current actor first, then the one before it, and so on. */
    @SuppressWarnings("unchecked")
    private static List<String> actors(@Nullable Object act) {
        List<String> actors = new ArrayList<>();
        Object current = act;
        for (int depth = 0; current instanceof Map<?, ?> actor && depth < 16; depth++) {
            Object sub = actor.get("sub");
            if (sub instanceof String name) {
                actors.add(name);
            }
            current = ((Map<String, Object>) actor).get("act");
        }
        return actors;
    }
}

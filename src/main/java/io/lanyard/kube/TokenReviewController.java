package io.lanyard.kube;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientAuthenticator;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.clients.ClientSecrets;
import io.lanyard.oauth.Endpoints;
import io.lanyard.oauth.PeerCertificates;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * kube-apiserver's {@code --authentication-token-webhook-config-file} target: a TokenReview
 * ({@code authentication.k8s.io/v1}, or {@code v1beta1}) in, the same kind and version out. The caller
 * is one of {@code lanyard.token-review.clients}, by its TLS client certificate (a mutual-TLS client) or
 * by its client secret as a bearer token; anyone else gets 401. Memory only, so it runs on the event loop.
 */
@Controller
public class TokenReviewController {
    private static final int MAX_BODY = 65536;
    private static final List<String> VERSIONS = List.of("authentication.k8s.io/v1", "authentication.k8s.io/v1beta1");

    private final TokenReview review;
    private final ClientRegistry clients;
    private final ClientAuthenticator authenticator;
    private final List<String> callers;

    public TokenReviewController(TokenReview review, ClientRegistry clients, ClientAuthenticator authenticator,
                                 TokenReviewProperties properties) {
        this.review = review;
        this.clients = clients;
        this.authenticator = authenticator;
        this.callers = properties.clients();
    }

    @Post(uri = Endpoints.TOKEN_REVIEW, consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> review(HttpRequest<?> http, @Nullable @Body String body) {
        Optional<Client> caller = caller(http);
        if (caller.isEmpty()) {
            return HttpResponse.<String>status(HttpStatus.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .body(status("the caller is not a cluster allowed to review tokens (lanyard.token-review.clients)"));
        }
        if (body != null && body.length() > MAX_BODY) {
            return HttpResponse.<String>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                    .body(status("a TokenReview is at most " + MAX_BODY + " bytes"));
        }
        Map<String, Object> request;
        try {
            request = body == null ? null : JSONObjectUtils.parse(body);
        } catch (ParseException | RuntimeException e) {
            // json-smart throws its own runtime errors for some malformed input
            request = null;
        }
        if (request == null || !(request.get("apiVersion") instanceof String version) || !VERSIONS.contains(version)
                || !"TokenReview".equals(request.get("kind"))
                || !(request.get("spec") instanceof Map<?, ?> spec)) {
            return HttpResponse.<String>status(HttpStatus.BAD_REQUEST)
                    .body(status("expected a TokenReview of authentication.k8s.io/v1 or v1beta1 with a spec"));
        }
        Object token = spec.get("token");
        List<String> audiences = spec.get("audiences") instanceof List<?> list
                ? list.stream().filter(String.class::isInstance).map(String.class::cast).toList() : List.of();
        TokenReview.Answer answer = review.review(caller.get(), token instanceof String t ? t : null, audiences);
        return HttpResponse.ok(JSONObjectUtils.toJSONString(reply(version, answer)));
    }

    private Optional<Client> caller(HttpRequest<?> http) {
        List<X509Certificate> certificates = PeerCertificates.of(http);
        String authorization = http.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        for (String id : callers) {
            Optional<Client> client = clients.find(id);
            if (client.isEmpty()) {
                continue;
            }
            if (!certificates.isEmpty() && authenticator.holdsCertificate(client.get(), certificates)) {
                return client;
            }
            if (bearer != null && !bearer.isEmpty() && client.get().secretDigest() != null
                    && ClientSecrets.matches(bearer, client.get().secretDigest())) {
                return client;
            }
        }
        return Optional.empty();
    }

    private static Map<String, Object> reply(String apiVersion, TokenReview.Answer answer) {
        Map<String, Object> status = new LinkedHashMap<>();
        if (answer instanceof TokenReview.Authenticated user) {
            status.put("authenticated", true);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("username", user.username());
            info.put("uid", user.uid());
            info.put("groups", user.groups());
            info.put("extra", user.extra());
            status.put("user", info);
            status.put("audiences", user.audiences());
        } else {
            status.put("authenticated", false);
            status.put("error", ((TokenReview.Unauthenticated) answer).error());
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("apiVersion", apiVersion);
        reply.put("kind", "TokenReview");
        reply.put("status", status);
        return reply;
    }

    private static String status(String error) {
        return JSONObjectUtils.toJSONString(Map.of("apiVersion", VERSIONS.get(0), "kind", "TokenReview",
                "status", Map.of("authenticated", false, "error", error)));
    }
}

package io.lanyard.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.OAuthResponses;
import io.lanyard.oauth.PeerCertificates;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * POST /token. Client credentials run on the event loop (memory only); grants that touch the
 * database (codes, refresh tokens) and client assertions (their jti is recorded) are handed to
 * the blocking pool.
 */
@Controller("/token")
public class TokenController {
    private final TokenEndpoint endpoint;
    private final TokenMetrics metrics;
    private final ExecutorService blocking;

    public TokenController(TokenEndpoint endpoint, TokenMetrics metrics,
                           @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.endpoint = endpoint;
        this.metrics = metrics;
        this.blocking = blocking;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<String>> token(HttpRequest<?> request, @Nullable @Body String body) {
        TokenEndpoint.Prepared prepared;
        try {
            prepared = endpoint.prepare(new TokenEndpoint.Request(
                    request.getHeaders().get(HttpHeaders.CONTENT_TYPE), body,
                    request.getHeaders().get(HttpHeaders.AUTHORIZATION), PeerCertificates.of(request)));
        } catch (OAuthException e) {
            return CompletableFuture.completedFuture(refused(e));
        }
        if (prepared.blocking()) {
            return CompletableFuture.supplyAsync(() -> respond(prepared), blocking);
        }
        return CompletableFuture.completedFuture(respond(prepared));
    }

    private HttpResponse<String> respond(TokenEndpoint.Prepared prepared) {
        try {
            IssuedToken issued = prepared.run();
            metrics.issued(issued.grantType());
            return OAuthResponses.json(HttpStatus.OK, issued.toJson());
        } catch (OAuthException e) {
            return refused(e);
        }
    }

    private HttpResponse<String> refused(OAuthException e) {
        metrics.refused(e.error().getCode());
        return OAuthResponses.error(e.error());
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> get() {
        return notAllowed();
    }

    @Put(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> put() {
        return notAllowed();
    }

    @Delete(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> delete() {
        return notAllowed();
    }

    @Patch(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> patch() {
        return notAllowed();
    }

    private HttpResponse<String> notAllowed() {
        metrics.refused("invalid_request");
        return OAuthResponses.error(OAuth2Error.INVALID_REQUEST.setHTTPStatusCode(405)
                        .setDescription("the token endpoint accepts POST only"))
                .header(HttpHeaders.ALLOW, "POST");
    }
}

package io.lanyard.token;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;

import java.util.concurrent.CompletableFuture;

/** POST /token: read on the event loop, handled on the {@link SigningExecutor}. Nothing on this path blocks. */
@Controller("/token")
public class TokenController {
    private final TokenEndpoint endpoint;
    private final TokenMetrics metrics;
    private final SigningExecutor executor;

    public TokenController(TokenEndpoint endpoint, TokenMetrics metrics, SigningExecutor executor) {
        this.endpoint = endpoint;
        this.metrics = metrics;
        this.executor = executor;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<String>> token(HttpRequest<?> request, @Nullable @Body String body) {
        TokenEndpoint.Request tokenRequest = new TokenEndpoint.Request(
                request.getHeaders().get(HttpHeaders.CONTENT_TYPE), body,
                request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        try {
            return CompletableFuture.supplyAsync(() -> respond(tokenRequest), executor);
        } catch (OAuthException full) {
            return CompletableFuture.completedFuture(refuse(full));
        }
    }

    private HttpResponse<String> respond(TokenEndpoint.Request request) {
        try {
            IssuedToken issued = endpoint.handle(request);
            metrics.issued(issued.grantType());
            return OAuthResponses.json(HttpStatus.OK, issued.toJson());
        } catch (OAuthException e) {
            return refuse(e);
        }
    }

    private HttpResponse<String> refuse(OAuthException e) {
        metrics.refused(e.error().getCode());
        return OAuthResponses.error(e.error());
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> get() {
        metrics.refused("invalid_request");
        return OAuthResponses.json(HttpStatus.METHOD_NOT_ALLOWED,
                        "{\"error\":\"invalid_request\",\"error_description\":\"the token endpoint accepts POST only\"}")
                .header(HttpHeaders.ALLOW, "POST");
    }
}

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
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;

/** POST /token. Runs on the event loop: nothing on this path blocks. */
@Controller("/token")
public class TokenController {
    private final TokenEndpoint endpoint;
    private final TokenMetrics metrics;

    public TokenController(TokenEndpoint endpoint, TokenMetrics metrics) {
        this.endpoint = endpoint;
        this.metrics = metrics;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> token(HttpRequest<?> request, @Nullable @Body String body) {
        try {
            IssuedToken issued = endpoint.handle(new TokenEndpoint.Request(
                    request.getHeaders().get(HttpHeaders.CONTENT_TYPE), body,
                    request.getHeaders().get(HttpHeaders.AUTHORIZATION)));
            metrics.issued(issued.grantType());
            return OAuthResponses.json(HttpStatus.OK, issued.toJson());
        } catch (OAuthException e) {
            metrics.refused(e.error().getCode());
            return OAuthResponses.error(e.error());
        }
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
        return OAuthResponses.json(HttpStatus.METHOD_NOT_ALLOWED,
                        "{\"error\":\"invalid_request\",\"error_description\":\"the token endpoint accepts POST only\"}")
                .header(HttpHeaders.ALLOW, "POST");
    }
}

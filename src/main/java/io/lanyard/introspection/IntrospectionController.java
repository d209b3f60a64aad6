package io.lanyard.introspection;

import io.lanyard.oauth.Endpoints;
import io.lanyard.token.ClientFormAnswers;
import io.lanyard.oauth.OAuthException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

import java.util.concurrent.CompletableFuture;

/** POST /introspect (RFC 7662 2). */
@Controller(Endpoints.INTROSPECT)
public class IntrospectionController {
    private final ClientFormAnswers answers;
    private final Introspection introspection;

    public IntrospectionController(ClientFormAnswers answers, Introspection introspection) {
        this.answers = answers;
        this.introspection = introspection;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<String>> introspect(HttpRequest<?> request, @Nullable @Body String body) {
        return answers.answer(request, body, form -> {
            String token = form.parameter("token");
            return token != null && Introspection.blocking(token);
        }, (client, form) -> {
            if (client.publicClient()) {
                // RFC 7662 2.1: the endpoint is for resource servers and confidential clients
                throw OAuthException.invalidClient("a public client may not introspect tokens");
            }
            String token = ClientFormAnswers.token(form);
            TokenTypeHint.parse(form.parameter("token_type_hint"));
            return introspection.introspect(client, token);
        });
    }
}

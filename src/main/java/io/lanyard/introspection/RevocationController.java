package io.lanyard.introspection;

import io.lanyard.oauth.Endpoints;
import io.lanyard.token.ClientFormAnswers;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

import java.util.concurrent.CompletableFuture;

/** POST /revoke (RFC 7009 2); public clients such as kubelogin may revoke their own tokens (2.1). */
@Controller(Endpoints.REVOKE)
public class RevocationController {
    private final ClientFormAnswers answers;
    private final Revocation revocation;

    public RevocationController(ClientFormAnswers answers, Revocation revocation) {
        this.answers = answers;
        this.revocation = revocation;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<String>> revoke(HttpRequest<?> request, @Nullable @Body String body) {
        // revoking writes to the database: always the blocking pool
        return answers.answer(request, body, form -> true, (client, form) -> {
            String token = ClientFormAnswers.token(form);
            TokenTypeHint.parse(form.parameter("token_type_hint"));
            revocation.revoke(client, token);
            return "{}";
        });
    }
}

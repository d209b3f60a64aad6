package io.lanyard.token;

import io.lanyard.oauth.Endpoints;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

import java.util.concurrent.CompletableFuture;

/** POST /device/code (RFC 8628 3.1); the codes are written to the database, so it runs on the blocking pool. */
@Controller(Endpoints.DEVICE_AUTHORIZATION)
public class DeviceAuthorizationController {
    private final ClientFormAnswers answers;
    private final DeviceAuthorization authorization;

    public DeviceAuthorizationController(ClientFormAnswers answers, DeviceAuthorization authorization) {
        this.answers = answers;
        this.authorization = authorization;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<String>> deviceCode(HttpRequest<?> request, @Nullable @Body String body) {
        return answers.answer(request, body, form -> true, (client, form) -> authorization.authorize(client,
                form.parameter("scope"), form.parameter("code_challenge"), form.parameter("code_challenge_method")));
    }
}

package io.lanyard.userinfo;

import io.lanyard.discovery.Endpoints;
import io.lanyard.token.FormBody;
import io.lanyard.token.OAuthException;
import io.lanyard.token.OAuthResponses;
import io.lanyard.token.Parameters;
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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;
import java.util.Map;

/** OIDC Core 5.3 over RFC 6750: the bearer token in the Authorization header or (POST) the form. */
@Controller(Endpoints.USERINFO)
@ExecuteOn(TaskExecutors.BLOCKING)
public class UserInfoController {
    private final UserInfo userInfo;

    public UserInfoController(UserInfo userInfo) {
        this.userInfo = userInfo;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> get(HttpRequest<?> request) {
        return answer(bearer(request.getHeaders().get(HttpHeaders.AUTHORIZATION)));
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> post(HttpRequest<?> request, @Nullable @Body String body) {
        String header = bearer(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        String form = null;
        String contentType = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (body != null && !body.isEmpty() && contentType != null
                && contentType.toLowerCase().startsWith(MediaType.APPLICATION_FORM_URLENCODED)) {
            try {
                Map<String, List<String>> parameters = FormBody.parse(body);
                form = Parameters.single(parameters, "access_token");
            } catch (OAuthException e) {
                return problem(HttpStatus.BAD_REQUEST, "invalid_request", "the body is not a valid form");
            }
        }
        if (header != null && form != null) {
            // RFC 6750 section 2: a client must not use more than one method
            return problem(HttpStatus.BAD_REQUEST, "invalid_request", "the token was sent twice");
        }
        return answer(header != null ? header : form);
    }

    private HttpResponse<String> answer(@Nullable String token) {
        if (token == null) {
            return OAuthResponses.json(HttpStatus.UNAUTHORIZED, "{\"error\":\"invalid_request\","
                            + "\"error_description\":\"a bearer access token is required\"}")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"lanyard\"");
        }
        try {
            return OAuthResponses.json(HttpStatus.OK, userInfo.claims(token));
        } catch (UserInfo.Refusal refusal) {
            return problem(refusal.insufficientScope() ? HttpStatus.FORBIDDEN : HttpStatus.UNAUTHORIZED,
                    refusal.insufficientScope() ? "insufficient_scope" : "invalid_token", refusal.getMessage());
        }
    }

    private static HttpResponse<String> problem(HttpStatus status, String error, String description) {
        return OAuthResponses.json(status, "{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}")
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"lanyard\", error=\"" + error
                        + "\", error_description=\"" + description + "\"");
    }

    private static @Nullable String bearer(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}

package io.lanyard.userinfo;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import io.lanyard.oauth.Endpoints;
import io.lanyard.oauth.FormBody;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.OAuthResponses;
import io.lanyard.oauth.Parameters;
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
    private static final String REALM = "lanyard";
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
                return problem(BearerTokenError.INVALID_REQUEST.setDescription("the body is not a valid form"));
            }
        }
        if (header != null && form != null) {
            // RFC 6750 section 2: a client must not use more than one method
            return problem(BearerTokenError.INVALID_REQUEST.setDescription("the token was sent twice"));
        }
        return answer(header != null ? header : form);
    }

    private HttpResponse<String> answer(@Nullable String token) {
        if (token == null) {
            // RFC 6750 section 3.1: no error code in the challenge when no credentials were sent
            return OAuthResponses.json(HttpStatus.UNAUTHORIZED, OAuth2Error.INVALID_REQUEST
                            .setDescription("a bearer access token is required").toJSONObject().toJSONString())
                    .header(HttpHeaders.WWW_AUTHENTICATE, BearerTokenError.MISSING_TOKEN.setRealm(REALM)
                            .toWWWAuthenticateHeader());
        }
        try {
            return OAuthResponses.json(HttpStatus.OK, userInfo.claims(token));
        } catch (UserInfo.Refusal refusal) {
            BearerTokenError error = refusal.insufficientScope() ? BearerTokenError.INSUFFICIENT_SCOPE
                    : BearerTokenError.INVALID_TOKEN;
            return problem(error.setDescription(refusal.getMessage()));
        }
    }

    /** The error as JSON and, escaped by Nimbus, in the {@code WWW-Authenticate} challenge (RFC 6750 section 3). */
    private static HttpResponse<String> problem(BearerTokenError error) {
        BearerTokenError challenge = error.setRealm(REALM);
        return OAuthResponses.json(HttpStatus.valueOf(challenge.getHTTPStatusCode()),
                        challenge.toJSONObject().toJSONString())
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge.toWWWAuthenticateHeader());
    }

    /** The token of an {@code Authorization: Bearer} header; anything else counts as no token sent. */
    private static @Nullable String bearer(@Nullable String authorization) {
        if (authorization == null) {
            return null;
        }
        try {
            return BearerAccessToken.parse(authorization).getValue();
        } catch (ParseException e) {
            return null;
        }
    }
}

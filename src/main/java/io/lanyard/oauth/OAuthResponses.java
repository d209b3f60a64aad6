package io.lanyard.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/** Renders OAuth answers: JSON, never cached, and {@code WWW-Authenticate} with every 401. */
public final class OAuthResponses {
    private OAuthResponses() {
    }

    public static MutableHttpResponse<String> json(HttpStatus status, String json) {
        return HttpResponse.<String>status(status)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header(HttpHeaders.PRAGMA, "no-cache")
                .body(json);
    }

    public static MutableHttpResponse<String> error(ErrorObject error) {
        HttpStatus status = HttpStatus.valueOf(error.getHTTPStatusCode() == 0 ? 400 : error.getHTTPStatusCode());
        MutableHttpResponse<String> response = json(status, error.toJSONObject().toJSONString());
        if (status == HttpStatus.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"lanyard\", charset=\"UTF-8\"");
        }
        return response;
    }
}

package io.lanyard.web;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.lanyard.authorize.Pages;
import io.lanyard.oauth.Endpoints;
import io.lanyard.oauth.OAuthResponses;
import io.lanyard.storage.StorageException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors that escape a controller still get OAuth-style JSON: a body over the size limit, the
 * database going away, and anything unexpected (logged here, never shown to the caller).
 */
public final class ErrorHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);
    /** The database is usually back within a few seconds (a failover, a restart); clients may retry then. */
    private static final String RETRY_AFTER_SECONDS = "5";

    private ErrorHandlers() {
    }

    /** The pages a person's browser shows get an HTML answer, everything else OAuth JSON. */
    static boolean forBrowser(HttpRequest<?> request) {
        String path = request.getPath();
        return path.startsWith(Endpoints.AUTHORIZE) || path.startsWith(Endpoints.LOGIN) || path.startsWith(Endpoints.LOGOUT)
                // the device page and its steps, but not /device/code, which a device calls
                || path.equals(Endpoints.DEVICE_VERIFICATION) || path.equals(Endpoints.DEVICE_VERIFICATION + "/login")
                || path.equals(Endpoints.DEVICE_VERIFICATION + "/decision");
    }

    @Singleton
    @Produces
    @Replaces(io.micronaut.http.server.exceptions.ContentLengthExceededHandler.class)
    public static class TooLarge implements ExceptionHandler<ContentLengthExceededException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ContentLengthExceededException exception) {
            return OAuthResponses.error(new ErrorObject("invalid_request", "the request body is too large", 413));
        }
    }

    @Singleton
    @Produces
    public static class Storage implements ExceptionHandler<StorageException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, StorageException exception) {
            LOG.warn("{} {} failed: {}", request.getMethod(), request.getPath(), exception.getMessage());
            if (forBrowser(request)) {
                return Pages.staticMessage(HttpStatus.SERVICE_UNAVAILABLE, "Sign-in is unavailable",
                                "Lanyard cannot reach its database right now. Wait a minute, then try again.")
                        .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            }
            return OAuthResponses.error(OAuth2Error.TEMPORARILY_UNAVAILABLE.setDescription("storage is unavailable"))
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
    }

    @Singleton
    @Produces
    public static class Unexpected implements ExceptionHandler<RuntimeException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, RuntimeException exception) {
            LOG.error("{} {} failed", request.getMethod(), request.getPath(), exception);
            if (forBrowser(request)) {
                return Pages.staticMessage(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong",
                        "Lanyard could not complete the sign-in. Go back to the application and try again.");
            }
            return OAuthResponses.error(OAuth2Error.SERVER_ERROR.setDescription("unexpected error"));
        }
    }
}

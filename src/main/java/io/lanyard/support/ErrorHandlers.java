package io.lanyard.support;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.lanyard.token.OAuthResponses;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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

    private ErrorHandlers() {
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
            return OAuthResponses.error(OAuth2Error.TEMPORARILY_UNAVAILABLE.setDescription("storage is unavailable"));
        }
    }

    @Singleton
    @Produces
    public static class Unexpected implements ExceptionHandler<RuntimeException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, RuntimeException exception) {
            LOG.error("{} {} failed", request.getMethod(), request.getPath(), exception);
            return OAuthResponses.error(OAuth2Error.SERVER_ERROR.setDescription("unexpected error"));
        }
    }
}

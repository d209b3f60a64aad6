package io.lanyard.oauth;

import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks every OAuth endpoint that takes a form applies before reading it (RFC 6749 3.2,
 * RFC 7009 2.1, RFC 7662 2.1, RFC 8628 3.1): the content type, a bound on the body, strict
 * decoding, and no parameter sent twice unless its RFC lets it repeat.
 */
public final class FormRequests {
    private static final String FORM = "application/x-www-form-urlencoded";

    private FormRequests() {
    }

    public static Map<String, List<String>> parse(@Nullable String contentType, @Nullable String body, int maxBytes,
                                                  Set<String> multiValued) {
        if (!isForm(contentType)) {
            throw OAuthException.invalidRequest("the request body must be " + FORM);
        }
        String text = body == null ? "" : body;
        // a form body is ASCII once percent-encoded; count UTF-8 bytes only when it could matter
        if (text.length() > maxBytes
                || text.length() * 3 > maxBytes && text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw OAuthException.invalidRequest("the request body is larger than " + maxBytes + " bytes");
        }
        Map<String, List<String>> parameters = FormBody.parse(text);
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getValue().size() > 1 && !multiValued.contains(parameter.getKey())) {
                throw OAuthException.invalidRequest("parameter '" + safeName(parameter.getKey()) + "' is repeated");
            }
        }
        return parameters;
    }

    private static boolean isForm(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return mediaType.equalsIgnoreCase(FORM);
    }

    /** Echoes a caller's string only when it is short and plain, so error JSON stays well-formed. */
    public static String safeName(String value) {
        return value.length() <= 64 && value.matches("[A-Za-z0-9_:.\\-]*") ? value : "(unprintable)";
    }
}

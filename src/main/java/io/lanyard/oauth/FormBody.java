package io.lanyard.oauth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict application/x-www-form-urlencoded parser. Lenient parsers drop a pair they cannot
 * decode, which here would turn {@code scope=%zz} into "no scope asked" and grant the defaults;
 * this one refuses the whole request instead. Values with nothing to decode (the JWTs and codes
 * that make up most of a token request) are returned as they are: a measured hot path (BENCHMARKS.md).
 */
public final class FormBody {
    private FormBody() {
    }

    public static Map<String, List<String>> parse(String body) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return parameters;
        }
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        }
        return parameters;
    }

    private static String decode(String text) {
        // tokens (JWTs, opaque codes) are sent as they are: nothing to decode, and they are most of the body
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("the request body is not valid form encoding");
        }
    }
}

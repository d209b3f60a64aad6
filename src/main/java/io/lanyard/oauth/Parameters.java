package io.lanyard.oauth;

import java.util.List;
import java.util.Map;

/** Reading form parameters the way RFC 6749 section 3.2 says: empty means absent. */
public final class Parameters {
    private Parameters() {
    }

    public static String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        String value = values.get(0);
        return value == null || value.isEmpty() ? null : value;
    }

    public static List<String> all(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null ? List.of() : values.stream().filter(v -> v != null && !v.isEmpty()).toList();
    }
}

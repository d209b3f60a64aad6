package io.lanyard.device;

import io.lanyard.authorize.BrowserCookies;
import io.lanyard.authorize.Pages;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The three pages of the device flow: enter the code, sign in, approve or deny. */
final class DevicePages {
    /** What each scope with a meaning here releases, in the words a person reads on the approval page. */
    private static final Map<String, String> SCOPE_WORDS = Map.of(
            "openid", "Sign you in with your Lanyard account",
            "profile", "Your name and username",
            "email", "Your email address",
            "groups", "Your group memberships",
            "offline_access", "Stay signed in until you sign out or the session ends");

    private DevicePages() {
    }

    static MutableHttpResponse<?> enterCode(HttpStatus status, String csrf, @Nullable String userCode,
                                            @Nullable String error, BrowserCookies cookies) {
        Map<String, Object> model = new HashMap<>();
        model.put("csrf", csrf);
        model.put("userCode", userCode);
        model.put("error", error);
        return Pages.render(status, "device", model).cookie(cookies.csrf(csrf));
    }

    static MutableHttpResponse<?> login(HttpStatus status, String csrf, DeviceVerification.Found found,
                                        @Nullable String username, @Nullable String error, BrowserCookies cookies,
                                        List<Map<String, String>> upstreams) {
        Map<String, Object> model = new HashMap<>();
        model.put("upstreams", upstreams);
        model.put("csrf", csrf);
        model.put("userCode", found.displayCode());
        model.put("handle", found.handle());
        model.put("clientName", found.client().name());
        model.put("username", username);
        model.put("error", error);
        model.put("focus", username == null || username.isEmpty() ? "username" : "password");
        return Pages.render(status, "device-login", model).cookie(cookies.csrf(csrf));
    }

    static MutableHttpResponse<?> confirm(String csrf, DeviceVerification.Found found, String username,
                                          BrowserCookies cookies) {
        Map<String, Object> model = new HashMap<>();
        model.put("csrf", csrf);
        model.put("userCode", found.displayCode());
        model.put("handle", found.handle());
        model.put("clientName", found.client().name());
        model.put("clientId", found.client().clientId());
        model.put("username", username);
        model.put("scopes", describe(found.code().scope()));
        return Pages.render(HttpStatus.OK, "device-confirm", model).cookie(cookies.csrf(csrf));
    }

    private static List<String> describe(Set<String> scope) {
        return new TreeSet<>(scope).stream()
                .map(value -> SCOPE_WORDS.getOrDefault(value, "Call APIs with the scope “" + value + "”"))
                .toList();
    }
}

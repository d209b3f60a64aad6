package io.lanyard.clients;

import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redirect URI rules. A requested URI must equal a registered one character for character: no
 * decoding, no case folding, no trailing-slash leniency, since every such normalisation has been
 * an open redirect somewhere. The one exception is RFC 8252 section 7.3: a native app (kubelogin)
 * listens on a loopback port it picks at run time, so for {@code http} on 127.0.0.1, [::1] or
 * localhost the port may differ and nothing else may.
 */
public final class RedirectUris {
    private static final Pattern LOOPBACK = Pattern.compile(
            "(http://(?:127\\.0\\.0\\.1|\\[::1]|localhost))(?::(\\d{1,5}))?((?:[/?].*)?)");

    private RedirectUris() {
    }

    /** The registered URI that {@code requested} matches, or null. */
    public static @Nullable String match(Collection<String> registered, @Nullable String requested) {
        if (requested == null) {
            return null;
        }
        for (String candidate : registered) {
            if (candidate.equals(requested)) {
                return candidate;
            }
        }
        Matcher asked = LOOPBACK.matcher(requested);
        if (!asked.matches() || !validPort(asked.group(2))) {
            return null;
        }
        for (String candidate : registered) {
            Matcher known = LOOPBACK.matcher(candidate);
            if (known.matches() && known.group(1).equals(asked.group(1)) && known.group(3).equals(asked.group(3))) {
                return candidate;
            }
        }
        return null;
    }

    /** Why a URI cannot be registered, or null when it can (OIDC Core 3.1.2.1, RFC 6749 3.1.2). */
    public static @Nullable String problem(String uri) {
        if (uri.length() > 2048) {
            return "is longer than 2048 characters";
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return "is not a valid URI";
        }
        if (!parsed.isAbsolute() || parsed.getRawFragment() != null) {
            return "must be an absolute URI without a fragment";
        }
        String scheme = parsed.getScheme();
        if ("http".equals(scheme) && !LOOPBACK.matcher(uri).matches()) {
            return "must use https (plain http is allowed only for 127.0.0.1, [::1] and localhost)";
        }
        if (("http".equals(scheme) || "https".equals(scheme)) && (parsed.getRawAuthority() == null
                || parsed.getRawUserInfo() != null)) {
            return "must name a host and carry no user information";
        }
        if ("javascript".equalsIgnoreCase(scheme) || "data".equalsIgnoreCase(scheme)) {
            return "uses a scheme that is never allowed";
        }
        return null;
    }

    private static boolean validPort(@Nullable String port) {
        return port == null || Integer.parseInt(port) <= 65535;
    }
}

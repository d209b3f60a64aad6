package io.lanyard.federation;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Keys are fetched over https only; plain http is allowed for loopback addresses, where nobody
 * between the two ends could change the keys (tests, a local development cluster's port-forward).
 */
public final class TrustedIssuerUrls {
    private TrustedIssuerUrls() {
    }

    public static boolean fetchable(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getHost() == null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            return false;
        }
        if ("https".equals(uri.getScheme())) {
            return true;
        }
        return "http".equals(uri.getScheme()) && isLoopback(uri.getHost());
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("[::1]") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}

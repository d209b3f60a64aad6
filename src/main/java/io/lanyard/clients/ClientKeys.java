package io.lanyard.clients;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.text.ParseException;

/** The public keys a {@code private_key_jwt} client registers: rules shared by every way in. */
public final class ClientKeys {
    /** Large enough for a handful of 4096-bit RSA keys, small enough to keep in memory for every client. */
    public static final int MAX_JWKS_CHARS = 65536;

    private ClientKeys() {
    }

    /** Parses an inline JWK set; refuses private or symmetric keys, which must never leave the client. */
    public static JWKSet parse(String json) {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException e) {
            throw new IllegalArgumentException("is not a JWK set (RFC 7517 section 5): " + e.getMessage());
        }
        if (set.getKeys().isEmpty()) {
            throw new IllegalArgumentException("holds no keys");
        }
        for (JWK key : set.getKeys()) {
            if (key.isPrivate()) {
                throw new IllegalArgumentException("must hold public keys only; key '" + key.getKeyID()
                        + "' has private parts");
            }
            // only what RS256, PS256 and ES256 can verify with: anything else would be dead weight
            if (key instanceof RSAKey rsa) {
                if (rsa.size() < 2048) {
                    throw new IllegalArgumentException("RSA key '" + key.getKeyID() + "' must have at least 2048 bits");
                }
            } else if (key instanceof ECKey ec) {
                if (!Curve.P_256.equals(ec.getCurve())) {
                    throw new IllegalArgumentException("EC key '" + key.getKeyID() + "' must be on P-256 (ES256)");
                }
            } else {
                throw new IllegalArgumentException("may hold RSA and EC keys only, not " + key.getKeyType());
            }
        }
        return set;
    }

    /** Null when the URI may serve a client's keys, else why not: https, or http to a loopback host. */
    public static String uriProblem(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return "is not a URI";
        }
        if (uri.getHost() == null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            return "must be an absolute URL with a host, no fragment and no user info";
        }
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            return null;
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && loopback(uri.getHost())) {
            return null;
        }
        return "must be https (http only for a loopback host)";
    }

    private static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            return false; // a name other than localhost could resolve anywhere
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

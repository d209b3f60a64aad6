package io.lanyard.clients;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.X509CertUtils;
import io.lanyard.oauth.ClientAuthMethods;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * How a client authenticates with its TLS certificate (RFC 8705 section 2).
 *
 * @param method             {@link #TLS_CLIENT_AUTH} or {@link #SELF_SIGNED_TLS_CLIENT_AUTH}
 * @param subjectDn          tls_client_auth: the certificate's subject DN (RFC 8705 section 2.1.2)
 * @param sanDns             tls_client_auth: a dNSName SAN entry
 * @param sanUri             tls_client_auth: a uniformResourceIdentifier SAN entry
 * @param certificateX5t     self_signed_tls_client_auth: base64url SHA-256 of the registered certificate's DER
 * @param boundAccessTokens  access tokens carry {@code cnf.x5t#S256} of the certificate presented (section 3)
 */
public record MutualTls(String method, @Nullable String subjectDn, @Nullable String sanDns, @Nullable String sanUri,
                        @Nullable String certificateX5t, boolean boundAccessTokens) {
    public static final String TLS_CLIENT_AUTH = ClientAuthMethods.TLS_CLIENT_AUTH;
    public static final String SELF_SIGNED_TLS_CLIENT_AUTH = ClientAuthMethods.SELF_SIGNED_TLS_CLIENT_AUTH;
    public static final List<String> METHODS = ClientAuthMethods.MUTUAL_TLS;

    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    public boolean selfSigned() {
        return SELF_SIGNED_TLS_CLIENT_AUTH.equals(method);
    }

    /**
     * Whether {@code certificate} is this client's: for tls_client_auth the one registered name
     * (the chain is checked elsewhere), for self-signed the exact certificate.
     */
    public boolean matches(X509Certificate certificate) {
        if (selfSigned()) {
            return certificateX5t != null && MessageDigest.isEqual(
                    certificateX5t.getBytes(StandardCharsets.US_ASCII),
                    thumbprint(certificate).getBytes(StandardCharsets.US_ASCII));
        }
        if (subjectDn != null) {
            // RFC 8705 section 2.1.2: compared as DNs (RFC 4517 distinguishedNameMatch), not as strings
            return canonical(subjectDn).equals(certificate.getSubjectX500Principal().getName(X500Principal.CANONICAL));
        }
        if (sanDns != null) {
            return sanContains(certificate, SAN_DNS, sanDns.toLowerCase(Locale.ROOT), true);
        }
        return sanUri != null && sanContains(certificate, SAN_URI, sanUri, false);
    }

    /** RFC 8705 section 3.1: {@code x5t#S256}, base64url (no padding) SHA-256 of the DER certificate. */
    public static String thumbprint(X509Certificate certificate) {
        Base64URL thumbprint = X509CertUtils.computeSHA256Thumbprint(certificate);
        if (thumbprint == null) {
            throw new IllegalStateException("cannot encode the certificate");
        }
        return thumbprint.toString();
    }

    /** The DN in the canonical form X500Principal compares by; throws IllegalArgumentException if it is none. */
    public static String canonical(String dn) {
        return new X500Principal(dn).getName(X500Principal.CANONICAL);
    }

    private static boolean sanContains(X509Certificate certificate, int type, String wanted, boolean ignoreCase) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names == null) {
            return false;
        }
        for (List<?> name : names) {
            if (name.size() == 2 && name.get(0) instanceof Integer t && t == type && name.get(1) instanceof String value
                    && (ignoreCase ? value.toLowerCase(Locale.ROOT).equals(wanted) : value.equals(wanted))) {
                return true;
            }
        }
        return false;
    }
}

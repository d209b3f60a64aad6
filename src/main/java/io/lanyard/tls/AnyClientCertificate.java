package io.lanyard.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts any client certificate during the handshake. RFC 8705 section 2.2 lets a client present
 * a self-signed certificate that no CA vouches for, so the TLS layer cannot decide; it only proves
 * (CertificateVerify, checked by the TLS engine whatever this class says) that the client holds the
 * certificate's private key. Whether the certificate authenticates anyone is decided at the token
 * endpoint: {@link ClientCertificateAuthorities} for tls_client_auth, the registered thumbprint for
 * self_signed_tls_client_auth. Offers no CA names, so a client sends its certificate whoever issued it.
 */
final class AnyClientCertificate extends X509ExtendedTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // decided by the client authentication, which sees the request's client_id
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // as above
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // as above
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the server's trust manager verifies no servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NONE;
    }
}

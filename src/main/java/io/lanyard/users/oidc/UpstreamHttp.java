package io.lanyard.users.oidc;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.lanyard.oauth.LimitedBody;
import io.lanyard.users.ConnectorUnavailableException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Nimbus's requests sent with the JDK's client: the trust the connector's {@code rootCAs} or
 * {@code insecureSkipVerify} say, no redirects followed, and the whole exchange (body included) within
 * the connector's timeout, so a slow upstream delays only the logins that go to it.
 */
final class UpstreamHttp {
    /** Discovery, a JWKS, token and userinfo answers are small; a larger one is refused unread. */
    private static final int MAX_BODY_BYTES = 512 * 1024;
    /** Headers the JDK's client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient http;
    private final Duration timeout;

    UpstreamHttp(OidcConfig config) {
        this.timeout = config.timeout();
        this.http = HttpClient.newBuilder()
                .sslContext(sslContext(config))
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    HTTPResponse send(HTTPRequest request) throws ConnectorUnavailableException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.getURI()).timeout(timeout);
        for (Map.Entry<String, List<String>> header : request.getHeaderMap().entrySet()) {
            if (!RESTRICTED.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                header.getValue().forEach(value -> builder.header(header.getKey(), value));
            }
        }
        if (request.getMethod() == HTTPRequest.Method.POST) {
            String body = request.getBody() == null ? "" : request.getBody();
            builder.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            builder.GET();
        }
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(builder.build(),
                LimitedBody.handler(MAX_BODY_BYTES));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new ConnectorUnavailableException(where(request) + " did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new ConnectorUnavailableException(where(request) + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorUnavailableException(where(request) + ": interrupted");
        }
        HTTPResponse answer = new HTTPResponse(response.statusCode());
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                answer.setHeader(name, values.toArray(String[]::new));
            }
        });
        answer.setBody(new String(response.body(), StandardCharsets.UTF_8));
        return answer;
    }

    /** The endpoint without its query: a query may hold a code or a token, which no log or error shows. */
    private static String where(HTTPRequest request) {
        return request.getURI().getScheme() + "://" + request.getURI().getRawAuthority() + request.getURI().getRawPath();
    }

    private static SSLContext sslContext(OidcConfig config) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {trustManager(config)}, null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS for " + config.issuer() + ": " + e.getMessage(), e);
        }
    }

    private static TrustManager trustManager(OidcConfig config) throws GeneralSecurityException, IOException {
        if (config.insecureSkipVerify()) {
            return new TrustingAnyone();
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (config.rootCas().isEmpty()) {
            factory.init((KeyStore) null);
        } else {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int i = 0;
            for (String pem : config.rootCas()) {
                for (Certificate ca : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                    trusted.setCertificateEntry("ca" + i++, ca);
                }
            }
            factory.init(trusted);
        }
        return factory.getTrustManagers()[0];
    }

    /**
     * Dex's insecureSkipVerify: any certificate, any host name. Extended, so the JDK's client does not
     * add its own host name check around it.
     */
    private static final class TrustingAnyone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

package io.lanyard.tls;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.netty.NettySslContextBuilder;
import io.micronaut.http.server.netty.ssl.NettyServerSslFactory;
import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import jakarta.inject.Singleton;

import java.security.KeyStore;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Micronaut's server TLS contexts, with {@link AnyClientCertificate} as the trust manager. Micronaut
 * asks for a client certificate ({@code micronaut.server.ssl.client-authentication=want}) but would
 * check it against a trust store, and a self-signed client certificate (RFC 8705 section 2.2) would
 * end the handshake; here the handshake admits it and the token endpoint decides.
 */
@Singleton
@Replaces(NettyServerSslFactory.class)
public class ClientCertificateSslFactory extends NettyServerSslFactory {

    @Override
    public NettySslContextBuilder serverBuilder() {
        return new NettySslContextBuilder(true) {
            @Override
            protected TrustManagerFactory createTrustManagerFactory() {
                return new AnyClientCertificateFactory();
            }
        };
    }

    private static final class AnyClientCertificateFactory extends SimpleTrustManagerFactory {
        private final TrustManager[] managers = {new AnyClientCertificate()};

        @Override
        protected void engineInit(KeyStore keyStore) {
            // nothing to load: the decision is made at the token endpoint
        }

        @Override
        protected void engineInit(ManagerFactoryParameters parameters) {
            // as above
        }

        @Override
        protected TrustManager[] engineGetTrustManagers() {
            return managers.clone();
        }
    }
}

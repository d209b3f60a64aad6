package io.lanyard.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import java.util.Set;
import java.util.function.Supplier;

/**
 * One signer, and one native copy of the private key, per thread. Threads that share a single
 * RSA key object contend inside the provider (measured: two threads on one ACCP RSA key sign
 * about 20% slower than two threads with a key each), so each event-loop thread gets its own.
 */
final class PerThreadSigner implements JWSSigner {
    private final ThreadLocal<JWSSigner> signers;
    private final JWSSigner first;

    PerThreadSigner(Supplier<JWSSigner> factory) {
        this.first = factory.get();
        this.signers = ThreadLocal.withInitial(factory);
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        return signers.get().sign(header, signingInput);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return first.supportedJWSAlgorithms();
    }

    @Override
    public JCAContext getJCAContext() {
        return first.getJCAContext();
    }
}

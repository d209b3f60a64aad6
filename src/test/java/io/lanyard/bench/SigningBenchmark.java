package io.lanyard.bench;

import io.lanyard.keys.CryptoProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** The floor: raw RS256 / ES256 signatures over a token-sized input, nothing else. */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class SigningBenchmark {
    @Param({"RS256", "ES256"})
    String alg;
    @Param({"auto", "jdk"})
    String provider;

    private Signature signature;
    private final byte[] input = ("eyJraWQiOiJmVXVjSjctZzRyRGNqVC10ZW9NWUtBc0N4aFlndXBDVlZfVlRMZS1xcmFFIiwidHlwIjoiYXQrand0"
            + "IiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJkZW1vIiwiYXVkIjoiZGVtby1hcGkiLCJzY29wZSI6ImRlbW8ucmVhZCIsImlzcyI6Imh0dHA6"
            + "Ly9sb2NhbGhvc3Q6ODA4MCIsImV4cCI6MTc5NTQwOTM2NiwiaWF0IjoxNzk1NDA4NzY2LCJjbGllbnRfaWQiOiJkZW1vIiwianRpIjoi")
            .getBytes(StandardCharsets.US_ASCII);

    @Setup
    public void setup() throws Exception {
        CryptoProvider crypto = CryptoProvider.select(provider);
        boolean rsa = alg.equals("RS256");
        KeyPairGenerator gen = KeyPairGenerator.getInstance(rsa ? "RSA" : "EC", crypto.forAlgorithm(rsa ? "RSA" : "EC"));
        if (rsa) {
            gen.initialize(2048);
        } else {
            gen.initialize(new ECGenParameterSpec("secp256r1"));
        }
        KeyPair pair = gen.generateKeyPair();
        signature = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA", crypto.forAlgorithm(rsa ? "RSA" : "EC"));
        signature.initSign(pair.getPrivate());
    }

    @Benchmark
    public byte[] sign() throws Exception {
        signature.update(input);
        return signature.sign();
    }
}

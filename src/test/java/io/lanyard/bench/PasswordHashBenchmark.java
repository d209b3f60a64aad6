package io.lanyard.bench;

import io.lanyard.users.PasswordHasher;
import io.lanyard.users.PasswordProperties;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor for logins: one Argon2id verification at the configured (OWASP) cost. A login can
 * be no faster than this; BENCHMARKS.md compares bench/login-load.sh against it.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class PasswordHashBenchmark {
    private PasswordHasher hasher;
    private String hash;

    @Setup
    public void setup() {
        hasher = new PasswordHasher(new PasswordProperties(19456, 2, 1));
        hash = hasher.hash("correct horse battery staple");
    }

    @Benchmark
    public boolean verify() {
        return hasher.verify("correct horse battery staple", hash);
    }
}

package io.lanyard.bench;

import io.lanyard.clients.Client;
import io.lanyard.keys.KeyRingHolder;
import io.lanyard.keys.KeyRotator;
import io.lanyard.token.AccessTokenIssuer;
import io.lanyard.token.AccessTokenSpec;
import io.lanyard.token.GrantRequest;
import io.lanyard.token.IssuedToken;
import io.micronaut.context.ApplicationContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The token path minus HTTP: RFC 9068 claims built and signed by the production classes. */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class MintingBenchmark {
    @Param({"RS256", "ES256"})
    String alg;
    @Param({"auto", "jdk"})
    String provider;

    private ApplicationContext context;
    private AccessTokenIssuer issuer;
    private AccessTokenSpec spec;
    private final com.nimbusds.oauth2.sdk.Scope scope = new com.nimbusds.oauth2.sdk.Scope("reports.read");

    @Setup(Level.Trial)
    public void setup() {
        context = ApplicationContext.builder().environments("cli").deduceEnvironment(false).properties(Map.of(
                "datasources.default.url", "jdbc:h2:mem:bench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "lanyard.kek", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "lanyard.keys.provider", provider)).start();
        context.getBean(KeyRotator.class).rotateIfDue();
        context.getBean(KeyRingHolder.class).reload();
        issuer = context.getBean(AccessTokenIssuer.class);
        Client client = Client.builder("reports")
                .name("Reports")
                .grantTypes(Set.of("client_credentials"))
                .scopes(Set.of("reports.read"))
                .audiences(Set.of("https://api.example.com"))
                .tokenSigningAlg(alg)
                .build();
        spec = AccessTokenSpec.of(GrantRequest.of("client_credentials", client, Map.of()), client, "reports",
                List.of("https://api.example.com"), scope);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        context.close();
    }

    @Benchmark
    public IssuedToken mint() {
        return issuer.issue(spec);
    }
}

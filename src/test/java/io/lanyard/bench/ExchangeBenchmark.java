package io.lanyard.bench;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.clients.ClientService;
import io.lanyard.exchange.ExchangePolicy;
import io.lanyard.exchange.ExchangePolicyStore;
import io.lanyard.keys.KeyRingHolder;
import io.lanyard.keys.KeyRotator;
import io.lanyard.storage.Database;
import io.lanyard.token.AccessTokenIssuer;
import io.lanyard.token.AccessTokenSpec;
import io.lanyard.token.GrantRequest;
import io.lanyard.token.IssuedToken;
import io.lanyard.token.TokenEndpoint;
import io.micronaut.context.ApplicationContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The token endpoint without HTTP, RS256: client credentials (authenticate, sign one JWT) against
 * token exchange (authenticate, verify the subject and actor JWTs, sign one), in one run.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class ExchangeBenchmark {
    private static final String FORM = "application/x-www-form-urlencoded";
    private ApplicationContext context;
    private TokenEndpoint endpoint;
    private String basic;
    private String exchangeBody;

    @Setup(Level.Trial)
    public void setup() {
        context = ApplicationContext.builder().environments("cli").deduceEnvironment(false).properties(Map.of(
                "datasources.default.url", "jdbc:h2:mem:exbench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "lanyard.kek", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")).start();
        context.getBean(KeyRotator.class).rotateIfDue();
        context.getBean(KeyRingHolder.class).reload();
        ClientService clients = context.getBean(ClientService.class);
        Client frontend = Client.builder("frontend")
                .name("Frontend")
                .grantTypes(Set.of("client_credentials"))
                .audiences(Set.of("share"))
                .tokenSigningAlg("RS256")
                .build();
        clients.create(frontend, true);
        String secret = clients.create(Client.builder("share")
                .name("Share")
                .grantTypes(Set.of("client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"))
                .audiences(Set.of("share"))
                .tokenSigningAlg("RS256")
                .build(), true).secret();
        context.getBean(Database.class).inTransaction(c -> ExchangePolicyStore.replaceFromConfig(c, List.of(
                new ExchangePolicy("share", Set.of("todo"), Set.of(), false, Set.of("self"), "config"))));
        context.getBean(ClientRegistry.class).reload();
        AccessTokenIssuer issuer = context.getBean(AccessTokenIssuer.class);
        Client share = context.getBean(ClientRegistry.class).find("share").orElseThrow();
        String subject = issuer.issue(AccessTokenSpec.of(GrantRequest.of("client_credentials", frontend, Map.of()),
                frontend, "frontend", List.of("share"), null)).accessToken();
        String actor = issuer.issue(AccessTokenSpec.of(GrantRequest.of("client_credentials", share, Map.of()),
                share, "share", List.of("share"), null)).accessToken();
        basic = "Basic " + Base64.getEncoder().encodeToString(("share:" + secret).getBytes(StandardCharsets.UTF_8));
        String at = enc("urn:ietf:params:oauth:token-type:access_token");
        exchangeBody = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange") + "&subject_token=" + subject
                + "&subject_token_type=" + at + "&actor_token=" + actor + "&actor_token_type=" + at + "&audience=todo";
        if (endpointCheck() == null) {
            throw new IllegalStateException("exchange refused");
        }
    }

    private IssuedToken endpointCheck() {
        endpoint = context.getBean(TokenEndpoint.class);
        return tokenExchange();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        context.close();
    }

    @Benchmark
    public IssuedToken clientCredentials() {
        return endpoint.handle(new TokenEndpoint.Request(FORM, "grant_type=client_credentials", basic));
    }

    @Benchmark
    public IssuedToken tokenExchange() {
        return endpoint.handle(new TokenEndpoint.Request(FORM, exchangeBody, basic));
    }
}

package io.lanyard.authorize;

import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.PasswordCheck;
import io.lanyard.users.PasswordProperties;
import io.lanyard.users.User;
import io.lanyard.users.UserDirectory;
import io.lanyard.users.UserSource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flood of logins queues for a bounded number of Argon2id checks. The real user directory sits
 * behind a gate the test holds closed, so "all slots busy" is a state, not a race.
 */
class PasswordCheckLimitTest {

    @Test
    void aLoginThatFindsEverySlotBusyIsToldToRetryAndTheSlotIsFreedAfterwards() throws Exception {
        try (LanyardServer server = LanyardServer.startOn(TestDatabases.Kind.H2)) {
            server.createUser("hank", "hank's long password", "hank@example.com");
            UserDirectory directory = server.bean(UserDirectory.class);
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch gate = new CountDownLatch(1);
            UserSource gated = new UserSource() {
                @Override
                public PasswordCheck checkPassword(String username, String password) {
                    entered.countDown();
                    try {
                        gate.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return directory.checkPassword(username, password);
                }

                @Override
                public Optional<User> findById(String id) {
                    return directory.findById(id);
                }

                @Override
                public List<String> groupsOf(String userId) {
                    return directory.groupsOf(userId);
                }
            };
            LoginProperties oneSlot = new LoginProperties(Duration.ofHours(1), 5, 20, Duration.ofSeconds(2),
                    Duration.ofMinutes(5), Duration.ofMinutes(15), null, 1, Duration.ofMillis(200));
            PasswordLogin login = new PasswordLogin(gated, server.bean(LoginThrottle.class), server.bean(DeviceCookies.class),
                    server.bean(Clock.class), oneSlot, server.bean(PasswordProperties.class));

            CompletableFuture<PasswordLogin.Result> first = CompletableFuture.supplyAsync(
                    () -> login.attempt("hank", "hank's long password", "10.0.0.1", null));
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            PasswordLogin.Result second = login.attempt("hank", "hank's long password", "10.0.0.2", null);
            PasswordLogin.Failure busy = assertInstanceOf(PasswordLogin.Failure.class, second);
            assertEquals(PasswordLogin.Reason.BUSY, busy.reason());

            gate.countDown();
            assertInstanceOf(PasswordLogin.Success.class, first.get(10, TimeUnit.SECONDS));
            assertInstanceOf(PasswordLogin.Success.class, login.attempt("hank", "hank's long password", "10.0.0.2", null),
                    "the slot was given back");
        }
    }

    @Test
    void withoutALimitSetTheHeapDecides() {
        LoginProperties auto = new LoginProperties(Duration.ofHours(1), 5, 20, Duration.ofSeconds(2),
                Duration.ofMinutes(5), Duration.ofMinutes(15), null, 0, Duration.ofSeconds(5));
        PasswordProperties owasp = new PasswordProperties(19456, 2, 1);
        // the test JVM's heap and cores; the rule is what matters: never more than half the heap in hashes
        Runtime runtime = Runtime.getRuntime();
        int permits = PasswordLogin.permits(auto, owasp, runtime);
        assertTrue(permits >= 1 && permits <= 2 * runtime.availableProcessors());
        assertTrue((long) permits * 19456 * 1024 <= Math.max(runtime.maxMemory() / 2, 19456L * 1024), "fits in half the heap");
    }
}

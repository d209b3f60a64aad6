package io.lanyard.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.authorize.PasswordLogin;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator reads in the log: JSON lines with ISO-8601 times, refused clients, who logged in. */
class OperatorLogsTest {
    private static LanyardServer server;
    private static String secret;

    @BeforeAll
    static void start() {
        server = LanyardServer.startOn(TestDatabases.Kind.H2);
        secret = server.createClient("reports", Set.of("read"), Set.of("read"), Set.of("api"), "RS256");
        server.createUser("jules", "jules's long password", "jules@example.com", "readers");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The messages logged by {@code logger} while {@code action} runs. */
    private static List<String> logged(String logger, Runnable action) {
        Logger target = (Logger) LoggerFactory.getLogger(logger);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        target.addAppender(appender);
        try {
            action.run();
        } finally {
            target.detachAppender(appender);
        }
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void jsonLinesCarryAnIso8601Timestamp() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        String before = System.getProperty("lanyard.log.format");
        System.setProperty("lanyard.log.format", "json");
        try {
            new LogConfigurator().configure(context);
        } finally {
            if (before == null) {
                System.clearProperty("lanyard.log.format");
            } else {
                System.setProperty("lanyard.log.format", before);
            }
        }
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>)
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("console");
        Logger logger = context.getLogger("io.lanyard.example");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
                "login succeeded: user={}", null, new Object[]{"u-1"});
        Map<String, Object> line = JSONObjectUtils.parse(new String(console.getEncoder().encode(event),
                StandardCharsets.UTF_8));
        assertEquals(Instant.ofEpochMilli(event.getTimeStamp()), Instant.parse((String) line.get("timestamp")));
        assertEquals("login succeeded: user=u-1", line.get("formattedMessage"));
        assertEquals("INFO", line.get("level"));
    }

    @Test
    void aRefusedClientIsLoggedWithItsIdMethodAndReasonButNeverItsSecret() {
        List<String> basic = logged("io.lanyard.clients.ClientAttempt", () -> {
            HttpResponse<String> response = server.postForm("/token", "grant_type=client_credentials",
                    "Authorization", LanyardServer.basic("reports", secret + "x"));
            assertEquals(401, response.statusCode());
        });
        assertEquals(List.of("client authentication failed: client=reports method=client_secret_basic "
                + "reason=client authentication failed"), basic);
        List<String> post = logged("io.lanyard.clients.ClientAttempt", () -> server.postForm("/token",
                "grant_type=client_credentials&client_id=nobody&client_secret=" + secret));
        assertEquals(1, post.size());
        assertTrue(post.get(0).contains("client=nobody method=client_secret_post"), post.get(0));
        assertFalse(String.join(" ", basic).contains(secret) || post.get(0).contains(secret), "no secret in the log");
        assertEquals(List.of(), logged("io.lanyard.clients.ClientAttempt", () -> server.postForm("/token",
                "grant_type=client_credentials", "Authorization", LanyardServer.basic("reports", secret))),
                "a client that authenticates is not logged as refused");
    }

    @Test
    void aLoginLogsTheUsernameAsWellAsTheId() {
        List<String> lines = logged("io.lanyard.authorize.PasswordLogin", () -> assertInstanceOf(
                PasswordLogin.Success.class, server.bean(PasswordLogin.class).attempt("jules",
                        "jules's long password", "127.0.0.1", null)));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("login succeeded: user=") && lines.get(0).contains(" username=jules "),
                lines.get(0));
    }
}

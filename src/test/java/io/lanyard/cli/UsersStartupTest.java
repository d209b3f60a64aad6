package io.lanyard.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.PasswordCheck;
import io.lanyard.users.UserDirectory;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up and users: the demo user of a dev installation, password settings that are too weak. */
class UsersStartupTest {

    @Test
    void passwordSettingsBelowTheOwaspFloorStopTheStart() throws Exception {
        StartupConfigTest.assertRefused(StartupConfigTest.serve(Map.of("lanyard.passwords.memory-kib", "4096")),
                "lanyard.passwords: memory-kib=4096, iterations=2 is below the OWASP minimum for Argon2id");
        Map<String, Object> weak = new HashMap<>(TestDatabases.freshH2());
        weak.put("lanyard.passwords.iterations", "1");
        CliRun cli = CliRun.run(weak, "users", "list");
        assertEquals(2, cli.exitCode(), "the CLI would hash with them too");
        assertTrue(cli.err().contains("memory-kib=19456, iterations=1 is below the OWASP minimum"), cli.err());
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void firstDevStartCreatesTheDemoUserOnce(TestDatabases.Kind kind) throws Exception {
        Map<String, Object> settings = new HashMap<>(TestDatabases.fresh(kind));
        settings.put("lanyard.kek", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        settings.put("micronaut.server.port", "-1");
        settings.put("lanyard.data-dir", Files.createTempDirectory("lanyard").toString());

        String first = console(() -> CliRun.run(settings, "serve", "--exit-after-start"));
        Matcher password = Pattern.compile("    password: (\\S+)").matcher(first);
        assertTrue(first.contains("created the demo user") && password.find(), first);
        String second = console(() -> CliRun.run(settings, "serve", "--exit-after-start"));
        assertFalse(second.contains("demo user"), "shown once: " + second);

        Map<String, Object> demo = JSONObjectUtils.parse(CliRun.run(settings, "users", "show", "demo", "-o", "json").out());
        assertEquals("demo@example.com", demo.get("email"));
        assertEquals(true, demo.get("email_verified"));
        assertEquals(List.of("demo-admins"), demo.get("all_groups"));
        try (ApplicationContext ctx = ApplicationContext.builder().properties(settings).environments("cli")
                .deduceEnvironment(false).start()) {
            assertInstanceOf(PasswordCheck.Verified.class,
                    ctx.getBean(UserDirectory.class).checkPassword("demo", password.group(1)));
        }
    }

    /** What the command printed to the process's standard output (where first-start secrets go). */
    static String console(Runnable command) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            command.run();
        } finally {
            System.setOut(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}

package io.lanyard.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The kubectl on PATH, run as a person would run it: what it printed (both streams) and its exit code. */
public final class Kubectl {

    public record Run(int exitCode, String output) {
    }

    private Kubectl() {
    }

    /** kubectl with {@code args}; {@code kubeconfig} as KUBECONFIG when not null. */
    public static Run run(Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (kubeconfig != null) {
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
        }
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl did not end: " + command);
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            return fail("these tests need kubectl on PATH (Kubernetes' client; kubectl kustomize and kubectl "
                    + "config view check what Lanyard generates): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** kubectl that must succeed: its output. */
    public static String ok(Path kubeconfig, String... args) {
        Run run = run(kubeconfig, args);
        assertEquals(0, run.exitCode(), run.output());
        return run.output();
    }
}

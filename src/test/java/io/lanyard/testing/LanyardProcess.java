package io.lanyard.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lanyard in its own JVM, started through {@code io.lanyard.Main} as {@code java -jar} would. */
public final class LanyardProcess implements AutoCloseable {
    private final Process process;
    private final String baseUrl;
    private final String managementUrl;
    private final Path log;

    private LanyardProcess(Process process, String baseUrl, String managementUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.managementUrl = managementUrl;
        this.log = log;
    }

    /** Starts with the given settings as system properties and waits until it is ready. */
    public static LanyardProcess start(Map<String, Object> settings) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("io.lanyard.Main");
        command.add("serve");
        Path log = Files.createTempFile("lanyard-process", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String baseUrl = "http://127.0.0.1:" + settings.get("micronaut.server.port");
        String managementUrl = "http://127.0.0.1:" + settings.get("lanyard.management.port");
        LanyardProcess started = new LanyardProcess(process, baseUrl, managementUrl, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Lanyard exited: " + Files.readString(log));
            }
            try {
                if (LanyardServer.send(HttpRequest.newBuilder(URI.create(managementUrl + "/health/readiness")).GET()
                        .build()).statusCode() == 200) {
                    return started;
                }
            } catch (IllegalStateException notYet) {
                // connection refused until the server listens
            }
            if (System.nanoTime() > deadline) {
                started.close();
                throw new IllegalStateException("Lanyard did not become ready: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    public HttpResponse<String> get(String path) {
        return LanyardServer.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build());
    }

    public HttpResponse<String> postForm(String path, String body, String authorization) {
        return LanyardServer.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        new File(log.toString()).delete();
    }
}

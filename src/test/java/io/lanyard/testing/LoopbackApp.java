package io.lanyard.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** A client's redirect URI on a loopback port, as kubelogin opens one: it records where browsers land. */
public final class LoopbackApp implements AutoCloseable {
    private final HttpServer server;
    private final BlockingQueue<String> received = new ArrayBlockingQueue<>(16);

    public LoopbackApp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestURI().toString());
            byte[] page = "<!DOCTYPE html><html lang=\"en\"><title>Signed in</title></html>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
    }

    /** The redirect URI to register. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The query of the next redirect that reaches the app, decoded; fails after {@code seconds}. */
    public Map<String, String> awaitRedirect(int seconds, String whileBrowserShows) throws InterruptedException {
        String landed = received.poll(seconds, TimeUnit.SECONDS);
        if (landed == null) {
            throw new AssertionError("the app was never reached; the browser shows " + whileBrowserShows);
        }
        return Browser.query(url() + landed.substring(1));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.lanyard.bench;

import io.lanyard.testing.Browser;
import io.lanyard.testing.Pkce;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load on a running Lanyard over loopback, for what wrk cannot script: a whole browser login
 * (GET /authorize, POST /login with the password check, POST /token redeeming the code) or a
 * chain of refresh grants, each worker with its own rotating refresh token.
 *
 * <pre>java -cp ... io.lanyard.bench.LoginLoad BASE_URL login|refresh THREADS SECONDS USER_PREFIX PASSWORD CLIENT [EXTRA]</pre>
 * Thread {@code t} logs in as {@code USER_PREFIX-(t mod 8)}; {@code EXTRA} is added to the authorization
 * request (e.g. {@code &connector_id=corp}).
 */
public final class LoginLoad {
    private static final Pattern REFRESH = Pattern.compile("\"refresh_token\":\"([^\"]+)\"");
    private static final String REDIRECT = "http://127.0.0.1:8000";

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String mode = args[1];
        int threads = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        String user = args[4];
        String password = args[5];
        String client = args[6];
        String extra = args.length > 7 ? args[7] : "";

        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicLong errors = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String username = user + "-" + (t % 8);
            Thread worker = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                String refreshToken = null;
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        if (mode.equals("login") || refreshToken == null) {
                            String tokens = login(base, username, password, client, extra);
                            refreshToken = match(tokens);
                        } else {
                            HttpResponse<String> r = http.send(form(base + "/token", "grant_type=refresh_token&client_id="
                                    + client + "&refresh_token=" + refreshToken), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                throw new IllegalStateException("refresh answered " + r.statusCode() + " " + r.body());
                            }
                            refreshToken = match(r.body());
                        }
                        if (measuring.get()) {
                            latencies.add(System.nanoTime() - start);
                        }
                    } catch (Exception | AssertionError e) {
                        if (measuring.get() && errors.incrementAndGet() < 5) {
                            System.err.println(e.getMessage());
                        }
                        refreshToken = null;
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        Thread.sleep(Math.min(10, seconds) * 1000L);   // warm-up: JIT, pools, the first rehash
        measuring.set(true);
        long begin = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - begin) / 1e9;
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        List<Long> sorted;
        synchronized (latencies) {
            sorted = new ArrayList<>(latencies);
        }
        Collections.sort(sorted);
        System.out.printf("%s%s: %d threads, %.0f s: %d done, %.1f/s, p50 %.1f ms, p99 %.1f ms, errors %d%n", mode, extra, threads,
                elapsed, sorted.size(), sorted.size() / elapsed, percentile(sorted, 0.50), percentile(sorted, 0.99),
                errors.get());
    }

    private static String login(String base, String user, String password, String client, String extra)
            throws Exception {
        Browser browser = new Browser();
        Pkce pkce = Pkce.create();
        String location = browser.login(base, base + "/authorize?response_type=code&client_id=" + client
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&scope=openid%20email%20groups%20offline_access&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256" + extra, user, password);
        String code = Browser.query(location).get("code");
        HttpResponse<String> tokens = HttpClient.newHttpClient().send(form(base + "/token",
                "grant_type=authorization_code&client_id=" + client + "&code=" + code + "&redirect_uri="
                        + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&code_verifier=" + pkce.verifier()),
                HttpResponse.BodyHandlers.ofString());
        if (tokens.statusCode() != 200) {
            throw new IllegalStateException("code redemption answered " + tokens.statusCode());
        }
        return tokens.body();
    }

    private static HttpRequest form(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String match(String json) {
        Matcher m = REFRESH.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no refresh_token in " + json);
        }
        return m.group(1);
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
    }
}

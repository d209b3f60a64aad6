package io.lanyard.token;

import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Token requests are CPU-bound (a signature each), so they run on one thread per core, fed from
 * one bounded FIFO queue, while the Netty event loops only read and write. Measured on two cores
 * (BENCHMARKS.md): ES256 tokens/s went from 18-21k to 22-26k, because I/O and signing overlap,
 * and RS256 p99 at 64 connections from 41-53 ms to 41 ms, because requests wait in arrival order
 * instead of in per-event-loop rounds. A full queue is refused at once (503) instead of growing.
 */
@Singleton
public class SigningExecutor implements Executor {
    private final ThreadPoolExecutor pool;

    public SigningExecutor(@Value("${lanyard.tokens.queue-size:4096}") int queueSize) {
        int threads = Runtime.getRuntime().availableProcessors();
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueSize),
                r -> {
                    Thread t = new Thread(r, "token-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public void execute(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            throw OAuthException.temporarilyUnavailable("the server is at capacity, retry shortly");
        }
    }

    @PreDestroy
    void shutdown() {
        pool.shutdown();
    }
}

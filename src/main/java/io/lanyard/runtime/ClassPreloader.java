package io.lanyard.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Start-up is mostly one thread loading and verifying ~6,000 library classes. This loads the
 * same classes (listed, in order, from a recorded start; see bench/preload-list.sh) on the
 * other core while the main thread works, so the main thread mostly finds them ready. A stale
 * list costs nothing but a few misses.
 */
public final class ClassPreloader {
    private static final String LIST = "META-INF/lanyard/preload-classes.txt";

    private ClassPreloader() {
    }

    public static void startInBackground() {
        Thread thread = new Thread(ClassPreloader::preload, "class-preload");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private static void preload() {
        ClassLoader loader = ClassPreloader.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(LIST)) {
            if (in == null) {
                return;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String name = reader.readLine(); name != null; name = reader.readLine()) {
                try {
                    Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError ignored) {
                    // the list is a hint; classes that moved or are absent are simply skipped
                }
            }
        } catch (IOException ignored) {
            // no list, no preloading
        }
    }
}

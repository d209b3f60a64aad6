package io.lanyard.resourceserver;

import io.lanyard.testing.LanyardServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.EmbeddedServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * The Micronaut example (ReportsController, ClientIdRequired and application.yml beside them) running as it
 * would as a project of its own: in this JVM, but in a context that sees neither Lanyard's beans, classes and
 * settings nor the test JVM's environment (which switches Micronaut Security off for every Lanyard, pom.xml).
 */
final class ReportsService implements AutoCloseable {
    private static final String PACKAGE = ReportsService.class.getPackageName();

    private final ApplicationContext context;
    private final String baseUrl;

    private ReportsService(ApplicationContext context, String baseUrl) {
        this.context = context;
        this.baseUrl = baseUrl;
    }

    /** Started against {@code issuer}, with the example's classes but {@code leftOut}. */
    static ReportsService start(String issuer, Class<?>... leftOut) {
        ApplicationContext context = ApplicationContext.builder()
                .classLoader(new ServiceClasses(ReportsService.class.getClassLoader(), List.of(leftOut)))
                .overrideConfigLocations("classpath:" + PACKAGE.replace('.', '/') + "/")
                .environmentPropertySource(false)
                .deduceEnvironment(false)
                .banner(false)
                // the test's Lanyard instead of application.yml's; a free port on loopback
                .properties(Map.of("lanyard.issuer", issuer, "micronaut.server.host", "127.0.0.1",
                        "micronaut.server.port", -1))
                .start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        server.start();
        return new ReportsService(context, "http://127.0.0.1:" + server.getPort());
    }

    /** GET {@code path}, with {@code Authorization: Bearer token} unless the token is null. */
    HttpResponse<String> get(String path, @Nullable String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return LanyardServer.send(request.build());
    }

    @Override
    public void close() {
        context.close();
    }

    /**
     * Every class as the test's class loader has it, except Lanyard's own outside this package and the
     * example classes a test leaves out: Micronaut skips the beans whose classes it cannot load.
     */
    private static final class ServiceClasses extends ClassLoader {
        private final List<String> hidden;

        ServiceClasses(ClassLoader parent, List<Class<?>> leftOut) {
            super(parent);
            // a bean's generated definition classes are named $Simple$Definition..., beside the class
            this.hidden = leftOut.stream().map(c -> PACKAGE + ".$" + c.getSimpleName() + "$").toList();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            boolean lanyards = name.startsWith("io.lanyard.") && !name.startsWith(PACKAGE + ".");
            if (lanyards || hidden.stream().anyMatch(name::startsWith)) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}

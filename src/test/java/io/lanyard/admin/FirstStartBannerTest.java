package io.lanyard.admin;

import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first start of a development server says how to wire a cluster, not a login line kube-apiserver would refuse. */
class FirstStartBannerTest {

    @Test
    void theBannerPrintsTheKubeCommandsAndWarnsAboutAnHttpIssuer() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (LanyardServer server = LanyardServer.startOn(TestDatabases.Kind.H2)) {
            // started: the banner has been printed
            assertTrue(server.issuer().startsWith("http://"));
        } finally {
            System.setOut(original);
        }
        String banner = captured.toString(StandardCharsets.UTF_8);
        assertTrue(banner.contains("./lanyard kube apiserver-config --client kubernetes"), banner);
        assertTrue(banner.contains("./lanyard kube kubeconfig --client kubernetes --server https://"), banner);
        assertTrue(banner.contains("./lanyard kube rbac --group"), banner);
        assertTrue(banner.contains("kube-apiserver accepts only an https issuer"), banner);
        assertFalse(banner.contains("--oidc-issuer-url=http://"), banner);
    }
}

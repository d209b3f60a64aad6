package io.lanyard.cli;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientService;
import io.lanyard.config.LanyardProperties;
import io.lanyard.kube.ApiserverConfig;
import io.lanyard.kube.ClaimNames;
import io.lanyard.kube.LoginClient;
import io.lanyard.tls.DevCa;
import io.lanyard.tls.PemFiles;
import io.lanyard.tls.TlsProperties;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** What the kube commands read from this installation: the issuer, its CA, the clients, each checked. */
final class KubeInputs {
    private KubeInputs() {
    }

    /** The issuer, its CA and these clients, each checked fit to log people in to a cluster. */
    static ApiserverConfig.Trust trust(ApplicationContext ctx, List<String> clientIds, @Nullable Path caFile,
                                       ClaimNames claims, LoginClient.Use use) {
        ClientService clients = ctx.getBean(ClientService.class);
        String alg = null;
        for (String id : clientIds) {
            Client client = clients.find(id).orElseThrow(() -> new CommandFailure("no client '" + id
                    + "' (./lanyard clients list)", 2));
            List<String> problems = LoginClient.problems(client, claims, use);
            if (!problems.isEmpty()) {
                throw new CommandFailure("client " + id + " cannot log people in to a cluster: "
                        + String.join("; ", problems), 2);
            }
            String clientAlg = client.tokenSigningAlg() == null ? "RS256" : client.tokenSigningAlg();
            // the structured configuration takes any algorithm; --oidc-signing-algs (one client) takes its own
            alg = alg == null || alg.equals(clientAlg) ? clientAlg : alg + "," + clientAlg;
        }
        String issuer = ctx.getBean(LanyardProperties.class).issuer();
        return new ApiserverConfig.Trust(issuer, clientIds, issuerCa(ctx, caFile), claims, alg);
    }

    /**
     * The CA of Lanyard's certificate: the file given, else a self-signed root at the end of the served
     * chain (LANYARD_TLS_CERT_FILE), else the dev CA's ca.pem beside it; null (the system's CAs) when
     * none is known. Never an intermediate: a public CA renews certificates under other intermediates,
     * and a cluster that trusted only one would stop accepting logins.
     */
    static @Nullable String issuerCa(ApplicationContext ctx, @Nullable Path caFile) {
        if (caFile != null) {
            return pem(caFile, "--ca-file");
        }
        String certFile = ctx.getBean(TlsProperties.class).certFile();
        if (certFile == null || certFile.isBlank()) {
            return null;
        }
        Path chain = Path.of(certFile);
        List<X509Certificate> cas = new ArrayList<>();
        for (X509Certificate certificate : PemFiles.certificates(chain, "LANYARD_TLS_CERT_FILE")) {
            if (certificate.getBasicConstraints() >= 0 && selfSigned(certificate)) {
                cas.add(certificate);
            }
        }
        if (!cas.isEmpty()) {
            return PemFiles.encode(cas.get(cas.size() - 1));
        }
        Path devCa = chain.toAbsolutePath().resolveSibling(DevCa.CA_CERT);
        return Files.isReadable(devCa) ? pem(devCa, "the dev CA") : null;
    }

    private static boolean selfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The certificates of a PEM file, encoded again: whatever else the file holds (a private key beside
     * the certificate) never reaches the printed YAML.
     */
    static String pem(Path file, String what) {
        try {
            return PemFiles.certificates(file, what + " " + file).stream().map(PemFiles::encode)
                    .collect(java.util.stream.Collectors.joining());
        } catch (RuntimeException e) {
            throw new CommandFailure(LanyardCommand.message(e), 2);
        }
    }
}

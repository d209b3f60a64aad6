package io.lanyard.cli;

import io.lanyard.admin.Durations;
import io.lanyard.clients.AccessTokenTyp;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientCertificates;
import io.lanyard.clients.MutualTls;
import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Client settings as options, shared by create and update. */
final class ClientSettings {
    @Option(names = "--name", description = "display name")
    String name;
    @Option(names = "--grant-type", split = ",", description = "grant types (default: client_credentials)")
    List<String> grantTypes;
    @Option(names = "--scope", split = ",", description = "scopes the client may be granted")
    List<String> scopes;
    @Option(names = "--default-scope", split = ",", description = "scopes granted when a request names none")
    List<String> defaultScopes;
    @Option(names = "--audience", split = ",", description = "audiences the client may ask for")
    List<String> audiences;
    @Option(names = "--token-lifetime", description = "access-token lifetime, e.g. 600s, 10m, 1h")
    String tokenLifetime;
    @Option(names = "--signing-alg", description = "RS256 or ES256")
    String signingAlg;
    @Option(names = "--access-token-typ", paramLabel = "TYP", description = "the typ header of the client's access "
            + "tokens: at+jwt (RFC 9068, the default) or none, for resource servers whose JWT library refuses at+jwt")
    String accessTokenTyp;
    @Option(names = "--redirect-uri", split = ",", description = "redirect URIs for the authorization code flow, "
            + "matched exactly (http://localhost, 127.0.0.1 and [::1] on any port)")
    List<String> redirectUris;
    @Option(names = "--post-logout-redirect-uri", split = ",", description = "where logout may return the browser")
    List<String> postLogoutRedirectUris;
    @Option(names = "--id-token-lifetime", description = "id_token lifetime, e.g. 600s, 10m, 1h")
    String idTokenLifetime;
    @Option(names = "--jwks-file", description = "a JWK set (public keys) for private_key_jwt; "
            + "the client then has no secret")
    Path jwksFile;
    @Option(names = "--jwks-uri", description = "where the client publishes its JWK set for private_key_jwt "
            + "(https, or http on loopback); the client then has no secret")
    String jwksUri;

    // RFC 8705 section 2.1.2 metadata names; the YAML file's tlsClientAuth* and tlsClientCertificate*
    @Option(names = "--tls-client-auth-subject-dn", paramLabel = "DN", description = "tls_client_auth (RFC 8705): "
            + "the subject DN the client's CA-issued certificate must have, e.g. 'CN=payments,O=Example Corp'; "
            + "the client then has no secret")
    String tlsSubjectDn;
    @Option(names = "--tls-client-auth-san-dns", paramLabel = "NAME", description = "tls_client_auth: a dNSName "
            + "SAN the certificate must hold (instead of the subject DN)")
    String tlsSanDns;
    @Option(names = "--tls-client-auth-san-uri", paramLabel = "URI", description = "tls_client_auth: a URI SAN "
            + "the certificate must hold (instead of the subject DN)")
    String tlsSanUri;
    @Option(names = "--tls-client-certificate", paramLabel = "FILE", description = "self_signed_tls_client_auth: "
            + "the client's own certificate (PEM, no key); Lanyard keeps its SHA-256 thumbprint")
    Path tlsCertificateFile;
    @Option(names = "--tls-bound-tokens", negatable = true, description = "bind the client's access tokens to "
            + "its certificate (cnf x5t#S256, RFC 8705 section 3); --no-tls-bound-tokens stops it")
    Boolean tlsBoundTokens;

    boolean setsKeys() {
        return jwksFile != null || jwksUri != null;
    }

    boolean setsMutualTls() {
        return tlsSubjectDn != null || tlsSanDns != null || tlsSanUri != null || tlsCertificateFile != null;
    }

    /** Whether the options give the client a way to authenticate other than a generated secret. */
    boolean setsCredential() {
        return setsKeys() || setsMutualTls();
    }

    Client applyTo(Client base) {
        return applyTo(base, null);
    }

    /** {@code newSecretDigest}: a secret that replaces the client's credential, as keys and certificates do. */
    Client applyTo(Client base, String newSecretDigest) {
        Client.Builder builder = base.toBuilder()
                .tokenLifetime(duration("--token-lifetime", tokenLifetime, base.tokenLifetime()))
                .idTokenLifetime(duration("--id-token-lifetime", idTokenLifetime, base.idTokenLifetime()));
        given(name, builder::name);
        given(signingAlg, builder::tokenSigningAlg);
        given(accessTokenTyp(), builder::accessTokenTyp);
        givenSet(grantTypes, builder::grantTypes);
        givenSet(scopes, builder::scopes);
        givenSet(defaultScopes, builder::defaultScopes);
        givenSet(audiences, builder::audiences);
        givenSet(redirectUris, builder::redirectUris);
        givenSet(postLogoutRedirectUris, builder::postLogoutRedirectUris);
        Client changed = builder.build();
        if (setsCredential() || newSecretDigest != null) {
            // a new credential replaces whatever the client authenticated with before: a secret, keys, a TLS
            // certificate; two new ones at once are both kept, for ClientValidator to refuse as the file's are
            changed = changed.withSecretDigest(newSecretDigest)
                    .withKeys(jwksFile == null ? null : readJwks(jwksFile), jwksUri)
                    .withMutualTls(setsMutualTls() ? mutualTls(base.mutualTls()) : null);
        }
        if (tlsBoundTokens != null) {
            if (!changed.usesMutualTls()) {
                throw new CommandFailure("--tls-bound-tokens: only a client authenticating with its TLS "
                        + "certificate has bound tokens (give --tls-client-auth-* or --tls-client-certificate)", 2);
            }
            MutualTls tls = changed.mutualTls();
            changed = changed.withMutualTls(new MutualTls(tls.method(), tls.subjectDn(), tls.sanDns(), tls.sanUri(),
                    tls.certificateX5t(), tlsBoundTokens));
        }
        return changed;
    }

    /**
     * The TLS identity the options name: a certificate file means self_signed_tls_client_auth, a name
     * tls_client_auth. Several at once are passed on as they are, so the validator gives the file's error.
     * Bound tokens stay as they were unless --[no-]tls-bound-tokens says otherwise.
     */
    private MutualTls mutualTls(MutualTls previous) {
        String thumbprint = tlsCertificateFile == null ? null : readCertificate(tlsCertificateFile);
        return new MutualTls(thumbprint != null ? MutualTls.SELF_SIGNED_TLS_CLIENT_AUTH : MutualTls.TLS_CLIENT_AUTH,
                tlsSubjectDn, tlsSanDns, tlsSanUri, thumbprint, previous != null && previous.boundAccessTokens());
    }

    private static String readCertificate(Path file) {
        String pem;
        try {
            // Latin-1 never fails to decode, so a DER or other binary file is reported as "not a PEM certificate"
            pem = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new CommandFailure("--tls-client-certificate: cannot read " + file + ": no such file", 2);
        } catch (IOException e) {
            throw new CommandFailure("--tls-client-certificate: cannot read " + file + ": "
                    + (e instanceof AccessDeniedException ? "permission denied" : e.getMessage()), 2);
        }
        try {
            return ClientCertificates.thumbprint(pem);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("--tls-client-certificate: " + file + " " + e.getMessage(), 2);
        }
    }

    private static String readJwks(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new CommandFailure("--jwks-file: cannot read " + file + ": " + e.getMessage(), 2);
        }
    }

    private @Nullable AccessTokenTyp accessTokenTyp() {
        if (accessTokenTyp == null) {
            return null;
        }
        AccessTokenTyp typ = AccessTokenTyp.of(accessTokenTyp);
        if (typ == null) {
            throw new CommandFailure("--access-token-typ: " + AccessTokenTyp.refusal(accessTokenTyp), 2);
        }
        return typ;
    }

    private static Duration duration(String option, String text, Duration current) {
        if (text == null) {
            return current;
        }
        Duration parsed = Durations.parse(text);
        if (parsed == null) {
            throw new CommandFailure(option + " must be a duration such as 600s, 10m or 1h", 2);
        }
        return parsed;
    }

    /** An option changes the client only when it was given. */
    private static <T> void given(@Nullable T option, Consumer<T> field) {
        if (option != null) {
            field.accept(option);
        }
    }

    private static void givenSet(@Nullable List<String> option, Consumer<Set<String>> field) {
        given(option, values -> field.accept(Set.copyOf(values)));
    }
}

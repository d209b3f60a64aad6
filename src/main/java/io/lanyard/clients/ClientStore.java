package io.lanyard.clients;

import io.lanyard.storage.CacheVersions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** SQL for clients. Every write bumps the clients cache version in the caller's transaction. */
public final class ClientStore {
    private static final String COLUMNS = "client_id, name, secret_digest, grant_types, scopes, default_scopes, "
            + "audiences, token_lifetime_s, token_signing_alg, source, redirect_uris, post_logout_redirect_uris, "
            + "public_client, id_token_lifetime_s, jwks, jwks_uri, tls_client_auth_method, tls_client_auth_subject_dn, "
            + "tls_client_auth_san_dns, tls_client_auth_san_uri, tls_client_certificate_x5t, "
            + "tls_client_certificate_bound_access_tokens, access_token_typ";

    private ClientStore() {
    }

    public static List<Client> list(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM clients ORDER BY client_id");
             ResultSet rs = ps.executeQuery()) {
            List<Client> clients = new ArrayList<>();
            while (rs.next()) {
                clients.add(read(rs));
            }
            return clients;
        }
    }

    public static Optional<Client> find(Connection c, String clientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM clients WHERE client_id = ?")) {
            ps.setString(1, clientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public static void insert(Connection c, Client client, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO clients (" + COLUMNS
                + ", created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = bind(ps, client);
            ps.setObject(i++, now.atOffset(ZoneOffset.UTC));
            ps.setObject(i, now.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
        CacheVersions.bump(c, CacheVersions.CLIENTS);
    }

    public static boolean update(Connection c, Client client, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE clients SET client_id = ?, name = ?, "
                + "secret_digest = ?, grant_types = ?, scopes = ?, default_scopes = ?, audiences = ?, "
                + "token_lifetime_s = ?, token_signing_alg = ?, source = ?, redirect_uris = ?, "
                + "post_logout_redirect_uris = ?, public_client = ?, id_token_lifetime_s = ?, jwks = ?, jwks_uri = ?, "
                + "tls_client_auth_method = ?, tls_client_auth_subject_dn = ?, tls_client_auth_san_dns = ?, "
                + "tls_client_auth_san_uri = ?, tls_client_certificate_x5t = ?, "
                + "tls_client_certificate_bound_access_tokens = ?, access_token_typ = ?, updated_at = ? "
                + "WHERE client_id = ?")) {
            int i = bind(ps, client);
            ps.setObject(i++, now.atOffset(ZoneOffset.UTC));
            ps.setString(i, client.clientId());
            boolean found = ps.executeUpdate() == 1;
            if (found) {
                CacheVersions.bump(c, CacheVersions.CLIENTS);
            }
            return found;
        }
    }

    public static boolean delete(Connection c, String clientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM clients WHERE client_id = ?")) {
            ps.setString(1, clientId);
            boolean found = ps.executeUpdate() == 1;
            if (found) {
                CacheVersions.bump(c, CacheVersions.CLIENTS);
            }
            return found;
        }
    }

    private static int bind(PreparedStatement ps, Client client) throws SQLException {
        int i = 1;
        ps.setString(i++, client.clientId());
        ps.setString(i++, client.name());
        ps.setString(i++, client.secretDigest());
        ps.setString(i++, join(client.grantTypes()));
        ps.setString(i++, join(client.scopes()));
        ps.setString(i++, join(client.defaultScopes()));
        ps.setString(i++, join(client.audiences()));
        ps.setInt(i++, client.tokenLifetime() == null ? 0 : (int) client.tokenLifetime().toSeconds());
        ps.setString(i++, client.tokenSigningAlg());
        ps.setString(i++, client.source());
        ps.setString(i++, join(client.redirectUris()));
        ps.setString(i++, join(client.postLogoutRedirectUris()));
        ps.setBoolean(i++, client.publicClient());
        ps.setInt(i++, client.idTokenLifetime() == null ? 0 : (int) client.idTokenLifetime().toSeconds());
        ps.setString(i++, client.jwks());
        ps.setString(i++, client.jwksUri());
        MutualTls tls = client.mutualTls();
        ps.setString(i++, tls == null ? null : tls.method());
        ps.setString(i++, tls == null ? null : tls.subjectDn());
        ps.setString(i++, tls == null ? null : tls.sanDns());
        ps.setString(i++, tls == null ? null : tls.sanUri());
        ps.setString(i++, tls == null ? null : tls.certificateX5t());
        ps.setBoolean(i++, tls != null && tls.boundAccessTokens());
        ps.setString(i++, client.accessTokenTyp().value());
        return i;
    }

    private static Client read(ResultSet rs) throws SQLException {
        return Client.builder(rs.getString(1))
                .name(rs.getString(2))
                .secretDigest(rs.getString(3))
                .grantTypes(split(rs.getString(4)))
                .scopes(split(rs.getString(5)))
                .defaultScopes(split(rs.getString(6)))
                .audiences(split(rs.getString(7)))
                .tokenLifetime(seconds(rs.getInt(8)))
                .tokenSigningAlg(rs.getString(9))
                .source(rs.getString(10))
                .redirectUris(split(rs.getString(11)))
                .postLogoutRedirectUris(split(rs.getString(12)))
                .publicClient(rs.getBoolean(13))
                .idTokenLifetime(seconds(rs.getInt(14)))
                .jwks(rs.getString(15))
                .jwksUri(rs.getString(16))
                .mutualTls(mutualTls(rs))
                // the column's CHECK admits only the settings' own spellings
                .accessTokenTyp(AccessTokenTyp.of(rs.getString(23)))
                .build();
    }

    private static MutualTls mutualTls(ResultSet rs) throws SQLException {
        String method = rs.getString(17);
        return method == null ? null : new MutualTls(method, rs.getString(18), rs.getString(19), rs.getString(20),
                rs.getString(21), rs.getBoolean(22));
    }

    private static Duration seconds(int value) {
        return value == 0 ? null : Duration.ofSeconds(value);
    }

    /** Sorted, so the stored text of a set does not depend on its iteration order. */
    private static String join(Set<String> values) {
        return String.join(" ", new TreeSet<>(values));
    }

    private static Set<String> split(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return new LinkedHashSet<>(Arrays.asList(value.trim().split(" +")));
    }
}

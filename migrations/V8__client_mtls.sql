-- Mutual-TLS client authentication (RFC 8705 section 2). tls_client_auth names the one subject DN
-- or SAN the certificate must hold; self_signed_tls_client_auth holds the certificate's SHA-256
-- thumbprint (x5t#S256). Clients with a method have no secret and no keys.
ALTER TABLE clients ADD COLUMN tls_client_auth_method VARCHAR(64);
ALTER TABLE clients ADD COLUMN tls_client_auth_subject_dn VARCHAR(1024);
ALTER TABLE clients ADD COLUMN tls_client_auth_san_dns VARCHAR(255);
ALTER TABLE clients ADD COLUMN tls_client_auth_san_uri VARCHAR(2048);
ALTER TABLE clients ADD COLUMN tls_client_certificate_x5t VARCHAR(64);
-- RFC 8705 section 3: its access tokens carry cnf.x5t#S256
ALTER TABLE clients ADD COLUMN tls_client_certificate_bound_access_tokens BOOLEAN DEFAULT FALSE NOT NULL;

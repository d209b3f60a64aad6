-- private_key_jwt (RFC 7523 section 2.2): a client's public keys, inline or at a URL. A client
-- with either has no secret.
ALTER TABLE clients ADD COLUMN jwks VARCHAR(65536);
ALTER TABLE clients ADD COLUMN jwks_uri VARCHAR(2048);

-- Assertion ids already used, so an assertion authenticates once even across replicas: the
-- primary key lets exactly one INSERT win. A row is needed only until the assertion expires;
-- expired rows are swept.
CREATE TABLE client_assertion_jtis (
    client_id  VARCHAR(255)             NOT NULL,
    jti        VARCHAR(255)             NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertion_jtis_expiry ON client_assertion_jtis (expires_at);

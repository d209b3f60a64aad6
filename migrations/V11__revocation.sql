-- Revocation (RFC 7009) and introspection (RFC 7662). Access tokens are JWTs verified without the
-- database, so a revoked one is listed here until it would have expired; every replica holds the
-- list in memory and reads what is new when the 'revocations' cache version moves.
-- revoked_at is the database's clock, so replicas whose clocks differ read one ordering.
CREATE TABLE revoked_tokens (
    jti        VARCHAR(64)              NOT NULL PRIMARY KEY,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE INDEX revoked_tokens_revoked ON revoked_tokens (revoked_at);
CREATE INDEX revoked_tokens_expiry ON revoked_tokens (expires_at);
INSERT INTO cache_versions (name, version) VALUES ('revocations', 0);

-- The access token each redemption and each rotation issued, so that ending the grant (a replayed
-- code, a revoked or reused refresh token) ends the access tokens it gave out too (RFC 6749 4.1.2,
-- RFC 7009 2.1).
ALTER TABLE authorization_codes ADD COLUMN access_jti VARCHAR(64);
ALTER TABLE authorization_codes ADD COLUMN access_expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE refresh_tokens ADD COLUMN access_jti VARCHAR(64);
ALTER TABLE refresh_tokens ADD COLUMN access_expires_at TIMESTAMP WITH TIME ZONE;

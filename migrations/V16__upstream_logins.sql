-- Logins through an upstream OpenID provider.
--
-- upstream_logins: a browser sent to the upstream and not yet back. state is a bearer secret in the
-- browser's URL and is stored as its SHA-256 digest; browser_hash is the digest of a cookie set on
-- the browser that left, so a callback only counts in that browser (no login CSRF). The nonce, the
-- PKCE verifier and what to resume afterwards (the authorization request, or the device page) are
-- sealed under the KEK. One callback deletes the row: a replayed state finds nothing.
CREATE TABLE upstream_logins (
    state_hash    VARCHAR(64)              NOT NULL PRIMARY KEY,
    browser_hash  VARCHAR(64)              NOT NULL,
    connector_id  VARCHAR(64)              NOT NULL,
    sealed        BYTEA                    NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX upstream_logins_expiry ON upstream_logins (expires_at);

-- The upstream's refresh token from a person's latest login that asked for one, sealed under the KEK:
-- a refresh of Lanyard's tokens re-validates the person with the upstream by it (and keeps the rotated
-- one). One per person, as Dex keeps it; the row goes with the person. A refresh leases the row
-- (lease_until) for as long as its call to the upstream may take, so two refreshes of one person do
-- not present the same rotating token at once, without a transaction open across that call; version
-- moves at every change, so a refresh that lost its lease cannot overwrite a newer token.
CREATE TABLE upstream_refresh_tokens (
    user_id       VARCHAR(32)              NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    connector_id  VARCHAR(64)              NOT NULL,
    sealed        BYTEA                    NOT NULL,
    version       BIGINT                   NOT NULL,
    lease_until   TIMESTAMP WITH TIME ZONE,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

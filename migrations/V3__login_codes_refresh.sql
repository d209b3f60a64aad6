-- People log in: what clients need for the authorization-code flow, browser sessions, codes,
-- refresh tokens and the login throttle. Runs unchanged on PostgreSQL 15 and on H2 (PostgreSQL mode).
-- Every secret a browser or client holds (session cookie, code, refresh token) is stored as its
-- SHA-256 digest, so a copy of the database lets nobody log in.

-- Lists are space-separated: a redirect URI cannot contain a space (RFC 3986).
ALTER TABLE clients ADD COLUMN redirect_uris VARCHAR(8192) DEFAULT '' NOT NULL;
ALTER TABLE clients ADD COLUMN post_logout_redirect_uris VARCHAR(8192) DEFAULT '' NOT NULL;
-- A public client (kubelogin, a CLI) has no secret and must use PKCE.
ALTER TABLE clients ADD COLUMN public_client BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE clients ADD COLUMN id_token_lifetime_s INTEGER DEFAULT 0 NOT NULL;

CREATE TABLE browser_sessions (
    session_hash VARCHAR(64)              NOT NULL PRIMARY KEY,
    user_id      VARCHAR(64)              NOT NULL,
    auth_time    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX browser_sessions_user ON browser_sessions (user_id);

-- redeemed_at is set by exactly one conditional UPDATE; family_id names the refresh-token family
-- issued from the code, revoked if the code is ever presented again.
CREATE TABLE authorization_codes (
    code_hash      VARCHAR(64)              NOT NULL PRIMARY KEY,
    client_id      VARCHAR(255)             NOT NULL,
    user_id        VARCHAR(64)              NOT NULL,
    redirect_uri   VARCHAR(2048)            NOT NULL,
    scope          VARCHAR(4096)            NOT NULL,
    nonce          VARCHAR(512),
    code_challenge VARCHAR(128),
    auth_time      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    redeemed_at    TIMESTAMP WITH TIME ZONE,
    family_id      VARCHAR(64)
);
CREATE INDEX authorization_codes_expiry ON authorization_codes (expires_at);

-- One row per refresh token ever issued. A rotated token keeps its row: presented again within
-- the grace window it yields the same response (sealed under the KEK); after it, the family dies.
CREATE TABLE refresh_tokens (
    token_hash        VARCHAR(64)              NOT NULL PRIMARY KEY,
    family_id         VARCHAR(64)              NOT NULL,
    client_id         VARCHAR(255)             NOT NULL,
    user_id           VARCHAR(64)              NOT NULL,
    scope             VARCHAR(4096)            NOT NULL,
    auth_time         TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    family_expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    rotated_at        TIMESTAMP WITH TIME ZONE,
    rotated_response  BYTEA,
    revoked_at        TIMESTAMP WITH TIME ZONE
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

-- Failed logins per account name and per source address. Updated with single statements, so
-- replicas count together; a delay grows with failures instead of a lock an attacker could use.
CREATE TABLE login_throttle (
    throttle_key    VARCHAR(320)             NOT NULL PRIMARY KEY,
    failures        INTEGER                  NOT NULL,
    last_failure_at TIMESTAMP WITH TIME ZONE NOT NULL,
    blocked_until   TIMESTAMP WITH TIME ZONE NOT NULL
);

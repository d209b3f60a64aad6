-- Runs unchanged on PostgreSQL 15 and on H2 in MODE=PostgreSQL.

-- Signing keys. The state (PENDING, ACTIVE, RETIRED) is derived from activates_at and the next
-- key's activates_at, so every replica reaches the same state at the same instant without a write.
-- Removed keys stay as tombstones (private key wiped) so a kid is never reused.
CREATE TABLE signing_keys (
    kid             VARCHAR(64)              NOT NULL PRIMARY KEY,
    alg             VARCHAR(16)              NOT NULL,
    public_jwk      VARCHAR(4096)            NOT NULL,
    private_key_enc BYTEA,
    kek_id          VARCHAR(32)              NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    activates_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    removed_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX signing_keys_alg ON signing_keys (alg, activates_at);

-- One row per algorithm; a rotation holds its row with SELECT ... FOR UPDATE, so replicas that
-- rotate at the same moment queue up and the second one sees the first one's key.
CREATE TABLE key_rotation_locks (
    alg VARCHAR(16) NOT NULL PRIMARY KEY
);
INSERT INTO key_rotation_locks (alg) VALUES ('RS256'), ('ES256');

-- Bumped by every change to a cached table; replicas poll it to know when to reload.
CREATE TABLE cache_versions (
    name    VARCHAR(32) NOT NULL PRIMARY KEY,
    version BIGINT      NOT NULL
);
INSERT INTO cache_versions (name, version) VALUES ('keys', 0), ('clients', 0);

-- One-time bootstrap steps (the demo client); the primary key lets exactly one replica win.
CREATE TABLE bootstrap_markers (
    name       VARCHAR(64)              NOT NULL PRIMARY KEY,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- OAuth clients. Lists are space-separated (scope syntax, RFC 6749 section 3.3).
CREATE TABLE clients (
    client_id         VARCHAR(255)             NOT NULL PRIMARY KEY,
    name              VARCHAR(255)             NOT NULL,
    secret_digest     VARCHAR(128),
    grant_types       VARCHAR(1024)            NOT NULL,
    scopes            VARCHAR(4096)            NOT NULL,
    default_scopes    VARCHAR(4096)            NOT NULL,
    audiences         VARCHAR(4096)            NOT NULL,
    token_lifetime_s  INTEGER                  NOT NULL,
    token_signing_alg VARCHAR(16),
    source            VARCHAR(16)              NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

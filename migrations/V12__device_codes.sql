-- The device authorization grant (RFC 8628). A device code is a bearer secret and is stored as its
-- SHA-256 digest; the user code is short, typed by a person, and unique among live codes.
-- status: pending -> approved | denied (by the person on the verification page) -> redeemed (by
-- exactly one poll's conditional UPDATE, on any replica).
CREATE TABLE device_codes (
    device_code_hash  VARCHAR(64)              NOT NULL PRIMARY KEY,
    user_code         VARCHAR(8)               NOT NULL,
    client_id         VARCHAR(255)             NOT NULL,
    scope             VARCHAR(4096)            NOT NULL,
    code_challenge    VARCHAR(128),
    status            VARCHAR(16)              NOT NULL,
    poll_interval_s   INTEGER                  NOT NULL,
    last_polled_at    TIMESTAMP WITH TIME ZONE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    user_id           VARCHAR(64),
    auth_time         TIMESTAMP WITH TIME ZONE,
    family_id         VARCHAR(64),
    access_jti        VARCHAR(64),
    access_expires_at TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX device_codes_user_code ON device_codes (user_code);
CREATE INDEX device_codes_expiry ON device_codes (expires_at);

-- RFC 8693 token exchange: what each client may do with other parties' tokens. No row: it may
-- not exchange at all. Lists are space-separated; subject_issuers holds 'self' (Lanyard's own
-- tokens) and the URLs of trusted issuers whose tokens it may present as subject_token.
CREATE TABLE exchange_policies (
    client_id       VARCHAR(255)  NOT NULL PRIMARY KEY REFERENCES clients (client_id) ON DELETE CASCADE,
    audiences       VARCHAR(4096) NOT NULL,
    scopes          VARCHAR(4096) NOT NULL,
    impersonation   BOOLEAN       NOT NULL,
    subject_issuers VARCHAR(4096) NOT NULL,
    source          VARCHAR(16)   NOT NULL
);

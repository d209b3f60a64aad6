-- The key schedule the servers run with, written by every server at start. Whoever else adds a key
-- (the CLI's `keys rotate`) pre-publishes it for the servers' period, not for its own settings.
-- The row exists from the start (seconds NULL until a server records it), so servers starting at
-- once only ever update it and cannot race to insert it.
CREATE TABLE key_settings (
    name       VARCHAR(64) PRIMARY KEY,
    seconds    BIGINT,
    updated_at TIMESTAMP WITH TIME ZONE
);
INSERT INTO key_settings (name, seconds, updated_at) VALUES ('pre-publish', NULL, NULL);

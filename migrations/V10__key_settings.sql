-- The key schedule the servers run with, written by every server at start. Whoever else adds a key
-- (the CLI's `keys rotate`) pre-publishes it for the servers' period, not for its own settings.
CREATE TABLE key_settings (
    name       VARCHAR(64) PRIMARY KEY,
    seconds    BIGINT NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- People who log in through a connector (LDAP, later upstream OpenID Connect) are kept beside
-- Lanyard's own users, so that tokens, refresh, the device flow, introspection and the CLI treat
-- them alike. Their id (the tokens' sub) is derived from the connector and the upstream id, so it is
-- stable across logins and never collides with a local user's or another connector's.
-- username_key and verified_email_key are scoped by connector ('corp/alice'): a directory's alice is
-- not Lanyard's alice, and accounts are never linked by email.
-- upstream_groups are the groups the connector reported at the last login or refresh, already
-- filtered and prefixed, newline-separated.
ALTER TABLE users ADD COLUMN connector_id VARCHAR(64);
ALTER TABLE users ADD COLUMN upstream_id VARCHAR(1024);
ALTER TABLE users ADD COLUMN upstream_groups VARCHAR(16384);
ALTER TABLE users ALTER COLUMN username_key SET DATA TYPE VARCHAR(256);
ALTER TABLE users ALTER COLUMN verified_email_key SET DATA TYPE VARCHAR(330);

-- People who log in through a connector (LDAP, later upstream OpenID Connect) are kept beside
-- Lanyard's own users, so that tokens, refresh, the device flow, introspection and the CLI treat
-- them alike. Their id (the tokens' sub) is derived from the connector and the upstream id, so it is
-- stable across logins and never collides with a local user's or another connector's.
-- username_key is scoped by connector ('corp/alice'): a directory's alice is not Lanyard's alice.
-- A verified email stays unique over all users (it may be a Kubernetes username): a connector's
-- person whose address another user holds verified gets it unverified. Accounts are never linked.
-- upstream_username is the name the connector finds them by again at a refresh; username is what
-- tokens carry as preferred_username. upstream_groups are the groups the connector reported at the
-- last login or refresh, already checked, filtered and prefixed, newline-separated (no group name
-- holds a control character).
ALTER TABLE users ADD COLUMN connector_id VARCHAR(64);
ALTER TABLE users ADD COLUMN upstream_id VARCHAR(1024);
ALTER TABLE users ADD COLUMN upstream_username VARCHAR(1024);
ALTER TABLE users ADD COLUMN upstream_groups TEXT;
ALTER TABLE users ALTER COLUMN username_key SET DATA TYPE VARCHAR(1100);
ALTER TABLE users ALTER COLUMN username SET DATA TYPE VARCHAR(1024);
ALTER TABLE users ALTER COLUMN display_name SET DATA TYPE VARCHAR(1024);

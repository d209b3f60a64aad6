-- A verified email is a Kubernetes username (--oidc-username-claim=email), so two users must
-- never share one: they would become the same cluster identity. Unverified addresses may repeat.
-- NULL (unverified or no email) is not a duplicate in a unique index, on PostgreSQL or H2.
ALTER TABLE users ADD COLUMN verified_email_key VARCHAR(254);
UPDATE users SET verified_email_key = LOWER(email) WHERE email_verified AND email IS NOT NULL;
CREATE UNIQUE INDEX users_verified_email ON users (verified_email_key);

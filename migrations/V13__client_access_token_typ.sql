-- The typ header of a client's access tokens: 'at+jwt' (RFC 9068), or 'none' for resource servers
-- whose JWT library refuses at+jwt by default (README "Verifying Lanyard's tokens in your service").
-- Never 'JWT': that is the id_token's typ, and each kind of token Lanyard signs is told apart by it.
ALTER TABLE clients ADD COLUMN access_token_typ VARCHAR(16) DEFAULT 'at+jwt' NOT NULL;
ALTER TABLE clients ADD CONSTRAINT clients_access_token_typ CHECK (access_token_typ IN ('at+jwt', 'none'));

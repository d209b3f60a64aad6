-- RFC 8693 token exchange: a token exchanged under a policy expires no later than its subject
-- token, unless the policy sets may_outlive_subject; then it gets the client's own access-token
-- lifetime from the time of the exchange.
ALTER TABLE exchange_policies ADD COLUMN may_outlive_subject BOOLEAN DEFAULT FALSE NOT NULL;

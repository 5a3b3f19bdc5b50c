-- BankID login: a completed login order stores the account whose holder signed in, and the
-- time its tokens were fetched. tokens_issued_at is set once, so an order opens at most one
-- session.
ALTER TABLE bankid_orders ADD COLUMN account_id BIGINT;
ALTER TABLE bankid_orders ADD COLUMN tokens_issued_at TIMESTAMP;

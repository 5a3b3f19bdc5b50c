ALTER TABLE bankid_orders DROP COLUMN tokens_issued_at;
ALTER TABLE bankid_orders DROP COLUMN account_id;

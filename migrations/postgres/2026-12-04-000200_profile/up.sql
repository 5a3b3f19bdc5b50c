-- Billing details of an account, and pending changes of the login email address.
CREATE TABLE billing_details (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    invoice_by_email BOOLEAN NOT NULL,
    billing_email TEXT,
    organisation_name TEXT,
    organisation_number TEXT,
    reference TEXT,
    street TEXT,
    postal_code TEXT,
    city TEXT,
    country TEXT,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE email_changes (
    id TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    new_email TEXT NOT NULL,
    new_email_key TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    ended_at TIMESTAMP,
    end_reason TEXT
);

CREATE INDEX email_changes_account ON email_changes (account_id, created_at);

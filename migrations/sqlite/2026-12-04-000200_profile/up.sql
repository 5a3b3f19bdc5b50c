-- Billing details of an account.
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

-- BankID orders started by the portal, with the registration data entered before signing.
-- qr_start_secret never leaves the server. collecting_until is a lease: a request that
-- collects the order first sets it, so at most one collect per order runs at a time across
-- server processes. Times are UTC.
CREATE TABLE bankid_orders (
    id TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    device TEXT NOT NULL,
    order_ref TEXT NOT NULL UNIQUE,
    qr_start_token TEXT NOT NULL,
    qr_start_secret TEXT NOT NULL,
    auto_start_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    hint_code TEXT,
    failure_code TEXT,
    is_final BOOLEAN NOT NULL DEFAULT FALSE,
    completed_at TIMESTAMP,
    collecting_until TIMESTAMP,
    first_name TEXT,
    last_name TEXT,
    email TEXT,
    mobile TEXT,
    language TEXT NOT NULL,
    personnummer TEXT
);

CREATE INDEX bankid_orders_created ON bankid_orders (created_at);
